package io.ringfence.bench;

import io.ringfence.bench.chaos.ChaosRun;
import io.ringfence.bench.churn.ChurnSimulation;
import java.util.Arrays;

/**
 * Entry point of bench/target/loadtool.jar: the load run (default), {@code burst}, {@code chaos}, {@code churn},
 * {@code jmh}.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("churn")) {
            System.exit(ChurnSimulation.main(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        if (args.length > 0 && args[0].equals("burst")) {
            System.exit(BurstRun.main(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        if (args.length > 0 && args[0].equals("chaos")) {
            System.exit(ChaosRun.main(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help"))) {
            System.out.print(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        BenchRun.Result result = new BenchRun(options, System.out).run();
        System.exit(result.ok() ? 0 : 1);
    }
}
