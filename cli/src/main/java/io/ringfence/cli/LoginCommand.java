package io.ringfence.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rfctl login}: signs a person in through the browser with the authorization code grant and PKCE on a
 * loopback redirect (RFC 8252), as the public client {@code ringfence-console}, and keeps the token in the context.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in through the browser (authorization code with PKCE, client ringfence-console)",
                "and keep the token in the context (the current one, or --context; created when missing)."})
class LoginCommand extends BaseCommand {

    @Option(names = "--url", description = "Service URL (default: RINGFENCE_URL, else the context's URL).") String url;
    @Option(names = "--timeout", defaultValue = "5m", converter = Durations.class,
            description = "How long to wait for the browser (default ${DEFAULT-VALUE}).") Duration timeout;

    @Override
    public Integer call() throws IOException {
        ConfigStore store = root().store();
        Config config = store.load();
        String name = Session.firstNonBlank(root().context, root().env().get("RFCTL_CONTEXT"), config.currentContext,
                "default");
        Config.Context context = config.context(name).orElse(null);
        String serviceUrl = Session.firstNonBlank(url, root().env().get("RINGFENCE_URL"), context == null ? null : context.url);
        if (serviceUrl == null) {
            throw new CliException("no service URL: pass --url, set RINGFENCE_URL or create the context first");
        }
        serviceUrl = Session.stripTrailingSlash(serviceUrl);

        Login.Pkce pkce = Login.Pkce.generate();
        String state = Login.randomToken(16);
        Api.TokenResult token;
        try (Login.LoopbackReceiver receiver = new Login.LoopbackReceiver(state)) {
            URI authorization = Login.authorizationUri(serviceUrl, Session.CONSOLE_CLIENT_ID, receiver.redirectUri(),
                    state, pkce);
            root().browser.accept(authorization, err());
            err().println("Waiting for the browser to finish signing in...");
            err().flush();
            Login.Callback callback = receiver.await(Math.max(1, timeout.toSeconds()));
            if (callback.code() == null) {
                throw new CliException("sign-in failed: " + (callback.errorDescription() != null
                        ? callback.errorDescription() : callback.error()));
            }
            token = redeem(serviceUrl, callback.code(), receiver.redirectUri(), pkce);
        }

        if (context == null) {
            context = new Config.Context(name, serviceUrl);
            config.contexts.add(context);
        }
        context.url = serviceUrl;
        context.clientId = null;
        context.token = token.token();
        context.tokenExpiry = token.expiry();
        context.tokenClientId = Session.CONSOLE_CLIENT_ID;
        if (config.currentContext == null) {
            config.currentContext = name;
        }
        store.save(config);
        note("Signed in to " + serviceUrl + " (context " + name + ", token valid until "
                + Instant.ofEpochSecond(token.expiry()) + ")");
        return 0;
    }

    private Api.TokenResult redeem(String serviceUrl, String code, String redirectUri, Login.Pkce pkce) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(serviceUrl + "/oauth2/v2/token"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Api.form(
                        Login.tokenRequest(code, redirectUri, Session.CONSOLE_CLIENT_ID, pkce))))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return Api.tokenResult(new Api.Response(response.statusCode(), response.body()), root().clock());
        } catch (IOException e) {
            throw new CliException("cannot reach " + serviceUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** {@code rfctl logout}: forgets the context's token. */
    @Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the token of the context.")
    static class Logout extends BaseCommand {
        @Override
        public Integer call() {
            ConfigStore store = root().store();
            Config config = store.load();
            String name = Session.firstNonBlank(root().context, root().env().get("RFCTL_CONTEXT"), config.currentContext);
            Config.Context context = name == null ? null : config.context(name).orElse(null);
            if (context == null) {
                throw new CliException("no context to sign out of");
            }
            context.token = null;
            context.tokenExpiry = null;
            context.tokenClientId = null;
            store.save(config);
            note("signed out of context " + name);
            return 0;
        }
    }
}
