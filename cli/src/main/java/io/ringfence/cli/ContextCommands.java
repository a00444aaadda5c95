package io.ringfence.cli;

import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code rfctl context list|use|set|delete}: named connections in the configuration file. */
@Command(name = "context", aliases = "contexts", mixinStandardHelpOptions = true,
        description = "Named contexts: a service URL with its client and cached token.",
        subcommands = {ContextCommands.ListContexts.class, ContextCommands.Use.class, ContextCommands.Set.class,
                ContextCommands.Delete.class})
class ContextCommands {

    @Command(name = "list", aliases = "ls", description = "List contexts; * marks the current one.",
            mixinStandardHelpOptions = true)
    static class ListContexts extends BaseCommand {
        @Override
        public Integer call() {
            ConfigStore store = root().store();
            Config config = store.load();
            long now = root().clock().instant().getEpochSecond();
            if (json()) {
                // Never print tokens.
                ArrayNode array = Json.MAPPER.createArrayNode();
                for (Config.Context c : config.contexts) {
                    ObjectNode node = array.addObject().put("name", c.name).put("url", c.url)
                            .put("current", c.name.equals(config.currentContext));
                    if (c.clientId != null) {
                        node.put("clientId", c.clientId);
                    }
                    if (c.tokenExpiry != null && c.token != null && c.tokenExpiry > now) {
                        node.put("tokenExpiry", Instant.ofEpochSecond(c.tokenExpiry).toString());
                    }
                }
                printRaw(Json.write(array));
                return 0;
            }
            Table table = new Table("CURRENT", "NAME", "URL", "CLIENT", "TOKEN");
            for (Config.Context c : config.contexts) {
                String token = c.token == null || c.tokenExpiry == null ? "none"
                        : c.tokenExpiry > now ? "valid until " + Instant.ofEpochSecond(c.tokenExpiry) : "expired";
                table.row(c.name.equals(config.currentContext) ? "*" : "", c.name, c.url,
                        c.clientId != null ? c.clientId : c.tokenClientId != null ? "(login)" : "", token);
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "use", description = "Make a context the current one.", mixinStandardHelpOptions = true)
    static class Use extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            ConfigStore store = root().store();
            Config config = store.load();
            if (config.context(name).isEmpty()) {
                throw new CliException("no context named " + name + " (see rfctl context list)");
            }
            config.currentContext = name;
            store.save(config);
            note("current context is now " + name);
            return 0;
        }
    }

    @Command(name = "set", description = "Create or change a context.", mixinStandardHelpOptions = true)
    static class Set extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "NAME") String name;
        @Option(names = "--url", description = "Service URL, e.g. https://ringfence.example.com.") String url;
        @Option(names = "--client-id", description = "Client of the client-credentials grant; its secret comes from RINGFENCE_CLIENT_SECRET.")
        String clientId;
        @Option(names = "--no-client-id", description = "Remove the client (use rfctl login instead).") boolean noClientId;
        @Option(names = "--use", description = "Also make it the current context.") boolean use;

        @Override
        public Integer call() {
            ConfigStore store = root().store();
            Config config = store.load();
            Config.Context context = config.context(name).orElse(null);
            if (context == null) {
                if (url == null) {
                    throw new CliException("a new context needs --url");
                }
                context = new Config.Context(name, null);
                config.contexts.add(context);
            }
            boolean credentialsChanged = false;
            if (url != null) {
                try {
                    java.net.URI parsed = java.net.URI.create(url);
                    if (parsed.getScheme() == null || !parsed.getScheme().matches("https?") || parsed.getHost() == null) {
                        throw new IllegalArgumentException("not an http(s) URL");
                    }
                } catch (IllegalArgumentException e) {
                    throw new CliException("invalid --url " + url + ": " + e.getMessage());
                }
                String normalized = Session.stripTrailingSlash(url);
                credentialsChanged |= !normalized.equals(context.url);
                context.url = normalized;
            }
            if (noClientId) {
                credentialsChanged |= context.clientId != null;
                context.clientId = null;
            } else if (clientId != null) {
                credentialsChanged |= !clientId.equals(context.clientId);
                context.clientId = clientId;
            }
            if (credentialsChanged) {
                context.token = null;
                context.tokenExpiry = null;
                context.tokenClientId = null;
            }
            if (use || config.currentContext == null) {
                config.currentContext = name;
            }
            store.save(config);
            note("context " + name + " saved" + (name.equals(config.currentContext) ? " (current)" : ""));
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a context and its token.", mixinStandardHelpOptions = true)
    static class Delete extends BaseCommand {
        @Parameters(arity = "1", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            ConfigStore store = root().store();
            Config config = store.load();
            if (!config.contexts.removeIf(c -> c.name.equals(name))) {
                throw new CliException("no context named " + name);
            }
            if (name.equals(config.currentContext)) {
                config.currentContext = null;
            }
            store.save(config);
            note("context " + name + " deleted");
            return 0;
        }
    }
}
