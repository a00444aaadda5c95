package io.ringfence;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.testkit.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real headless browser driven by playwright-core: the system's Chromium when there is one,
 * else the Linux x64 Chromium inside the {@code @sparticuz/chromium} npm package ({@code RINGFENCE_BROWSER=npm}
 * forces that one; see {@code console-tests/browser.mjs}); the test runs {@code npm ci} when they are missing. Signs
 * in with authorization code and PKCE, creates a reservation and sees it provisioned, sees a 507 explained, sees its
 * domains on the map, reboots a server, deletes with confirmation; on the calendar, books whole pods ahead until a 507,
 * is proposed the earliest offering, books it and sees its bar.
 * Screenshots are left in {@code target/console-screenshots} for people to look at.
 *
 * <p>It needs nothing but a running service, so it uses the test JVM's shared one
 * ({@link ServiceProcess#shared()}) rather than a process of its own.
 */
class ConsoleBrowserIT {

    @Test
    void aPersonUsesTheConsole() throws Exception {
        Path tests = Path.of("..", "console-tests").toAbsolutePath().normalize();
        if (!Files.exists(tests.resolve("node_modules/playwright-core"))
                || !Files.exists(tests.resolve("node_modules/@sparticuz/chromium"))) {
            // its output goes to a file: the test JVM's own stdout is the test runner's channel
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(tests.toFile())
                    .redirectErrorStream(true).redirectOutput(Path.of("target", "npm-ci.log").toFile()).start();
            assertThat(install.waitFor(300, TimeUnit.SECONDS) && install.exitValue() == 0)
                    .as("npm ci in console-tests installs playwright-core and @sparticuz/chromium").isTrue();
        }
        Path screenshots = Path.of("target", "console-screenshots").toAbsolutePath();
        Files.createDirectories(screenshots);
        // the JVM's shared service (demo fleet, quick simulated platform), stopped when the test JVM exits
        ServiceProcess service = ServiceProcess.shared();
        Path log = Path.of("target", "browser.log").toAbsolutePath();
        Process browser = new ProcessBuilder("node", tests.resolve("console.spec.mjs").toString(),
                service.url(), screenshots.toString())
                .directory(tests.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = browser.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            browser.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(finished).as("browser run finished: %s", output).isTrue();
        assertThat(browser.exitValue()).as(output).isZero();
        assertThat(output).contains("console test passed");
        assertThat(screenshots.resolve("console-capacity.png")).exists();
        assertThat(screenshots.resolve("console-detail.png")).exists();
        assertThat(screenshots.resolve("console-calendar.png")).exists();
    }
}
