package io.ringfence.cli;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code rfctl}: the command-line client of the Ringfence Reservation API. */
@Command(name = "rfctl",
        mixinStandardHelpOptions = true,
        versionProvider = Rfctl.Version.class,
        description = "Command-line client of the Ringfence Reservation API.",
        footer = {"",
                "Connection: RINGFENCE_URL, RINGFENCE_CLIENT_ID and RINGFENCE_CLIENT_SECRET override the current context.",
                "Exit codes: 0 ok, 1 failed (the API's message is printed), 2 usage, 3 resource ended in error, 4 wait timed out."},
        subcommands = {
                UnitsCommand.class,
                ReservationCommands.class,
                OfferingsCommand.class,
                PlacementCommands.class,
                ServerCommands.class,
                TopologyCommand.class,
                ContextCommands.class,
                LoginCommand.class,
                LoginCommand.Logout.class,
                CommandLine.HelpCommand.class})
public class Rfctl implements Runnable {

    /** Output formats. */
    public enum Output { table, json }

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Output format: table (default, aligned columns) or json (the API's JSON).")
    Output output = Output.table;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Context to use instead of the current one (also RFCTL_CONTEXT).")
    String context;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Clock clock;
    /** Opens the sign-in page: a browser where there is one; it is always printed too. */
    BiConsumer<URI, PrintWriter> browser = Rfctl::openBrowser;
    private Api api;

    public Rfctl(Map<String, String> env) {
        this(env, Clock.systemUTC());
    }

    public Rfctl(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own writers and environment. */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(new Rfctl(env));
    }

    public static CommandLine commandLine(Rfctl rfctl) {
        CommandLine cli = new CommandLine(rfctl);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof CliException failure) {
                err.println("Error: " + failure.getMessage() + details(failure));
                err.flush();
                return failure.exitCode();
            }
            if (rfctl.env.containsKey("RFCTL_DEBUG")) {
                ex.printStackTrace(err);
            } else {
                err.println("Error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage())
                        + " (set RFCTL_DEBUG=1 for details)");
            }
            err.flush();
            return CliException.FAILED;
        });
        return cli;
    }

    private static String details(CliException failure) {
        if (failure instanceof ApiError error) {
            return " [HTTP " + error.status() + (error.traceId() != null && !error.traceId().isEmpty()
                    ? ", trace ID " + error.traceId() : "") + "]";
        }
        return "";
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    Map<String, String> env() {
        return env;
    }

    Clock clock() {
        return clock;
    }

    ConfigStore store() {
        return ConfigStore.fromEnvironment(env);
    }

    Session session() {
        return new Session(env, store(), context, clock);
    }

    Api api() {
        if (api == null) {
            api = new Api(session());
        }
        return api;
    }

    boolean json() {
        return output == Output.json;
    }

    /** How often {@code --wait} polls: RFCTL_POLL_INTERVAL (e.g. 200ms), else one second. */
    Duration pollInterval() {
        String configured = env.get("RFCTL_POLL_INTERVAL");
        return configured == null || configured.isBlank() ? Duration.ofSeconds(1) : Durations.parse(configured);
    }

    private static void openBrowser(URI uri, PrintWriter err) {
        err.println("Open this URL in a browser to sign in:");
        err.println();
        err.println("    " + uri);
        err.println();
        err.flush();
        try {
            if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(uri);
            }
        } catch (Exception | LinkageError ignored) {
            // no desktop: the printed URL is enough
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Rfctl.class.getPackage().getImplementationVersion();
            return new String[] {"rfctl " + (version == null ? "dev" : version)};
        }
    }
}
