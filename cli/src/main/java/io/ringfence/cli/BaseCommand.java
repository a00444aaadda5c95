package io.ringfence.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** What every leaf command needs: the root's settings, the writers, the API client and small output helpers. */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    Rfctl root() {
        return (Rfctl) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Api api() {
        return root().api();
    }

    boolean json() {
        return root().json();
    }

    /** Prints an API answer exactly as the service sent it. */
    void printRaw(String body) {
        out().println(body.strip());
        out().flush();
    }

    /** Prints an API answer: as sent in json mode, otherwise as the command's table. */
    void show(Api.Answer<?> response, Runnable table) {
        if (json()) {
            printRaw(response.body());
        } else {
            table.run();
        }
    }

    /** Polls with the root's interval and clock, reporting progress on stderr, for at most {@code timeout}. */
    Waiter waiter(java.time.Duration timeout) {
        return new Waiter(err(), root().pollInterval(), timeout, root().clock());
    }

    /** Prints a message for humans: to stdout in table mode, to stderr in json mode so stdout stays JSON. */
    void note(String message) {
        PrintWriter target = json() ? err() : out();
        target.println(message);
        target.flush();
    }

    static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    static String shortId(String id) {
        return id == null || id.length() <= 8 ? id : id.substring(0, 8);
    }
}
