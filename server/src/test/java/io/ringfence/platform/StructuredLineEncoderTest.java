package io.ringfence.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;

/**
 * The structured lines built as strings are Boot's lines, byte for byte, in every format Boot offers, for any
 * message, logging context, key-value pairs, exception and markers.
 */
class StructuredLineEncoderTest {

    private static final List<String> FORMATS = List.of("ecs", "logstash", "gelf");
    private static final List<String> KEYS = List.of("trace_id", "http.method", "http.route", "http.status",
            "duration_ms", "organization", "a.b.c", "x");

    record Event(String message, Map<String, String> context, List<String> pairs, String error, boolean marked,
            int level) {
    }

    @Test
    void chosenEventsGiveBootsBytes() {
        for (String format : FORMATS) {
            for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
                Encoders encoders = encoders(format, charset);
                for (Event event : List.of(
                        new Event("GET /api/v2/reservations/{reservationID} 200 3ms",
                                Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "http.method", "GET"),
                                List.of(), null, false, 1),
                        new Event("quote \" backslash \\ tab \t newline \n nul \u0000 caf\u00e9 \ud83d\ude00 lone \ud83d",
                                Map.of(), List.of("kind", "reservation"), "boom \" \n", true, 3),
                        new Event("", Map.of("a.b.c", "", "x", "\u2028"), List.of("x.y", "1"), "", false, 0))) {
                    encoders.assertSameLine(event);
                }
            }
        }
    }

    @Test
    void anyEventGivesBootsBytes() {
        for (String format : FORMATS) {
            Encoders encoders = encoders(format, StandardCharsets.UTF_8);
            qt().withExamples(1_500).forAll(events()).checkAssert(encoders::assertSameLine);
        }
    }

    @Test
    void theConsoleOfAStructuredFormatGetsTheStringEncoderAndATextConsoleKeepsItsOwn() {
        LoggerContext context = contextWithEnvironment();
        StructuredLogEncoder boots = bootsEncoder(context, "ecs", StandardCharsets.UTF_8);
        ConsoleAppender<ILoggingEvent> json = console(context, boots);
        AsyncConsoleLog.wrapConsole(context);
        assertThat(json.getEncoder()).isInstanceOf(StructuredLineEncoder.class);

        LoggerContext textContext = contextWithEnvironment();
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setContext(textContext);
        pattern.setPattern("%msg%n");
        pattern.start();
        ConsoleAppender<ILoggingEvent> text = console(textContext, pattern);
        AsyncConsoleLog.wrapConsole(textContext);
        assertThat(text.getEncoder()).isSameAs(pattern);
        context.stop();
        textContext.stop();
    }

    /** Boot's encoder and ours over one formatter. */
    record Encoders(String format, StructuredLogEncoder boots, StructuredLineEncoder ours, LoggerContext context) {

        void assertSameLine(Event event) {
            ILoggingEvent logged = event(context, event);
            Object expected = outcome(() -> boots.encode(logged));
            Object actual = outcome(() -> ours.encode(logged));
            assertThat(actual).as(format + " " + event).isEqualTo(expected);
        }

        /** The line, or the kind of failure when Boot's formatter refuses the event. */
        private static Object outcome(java.util.function.Supplier<byte[]> encode) {
            try {
                return new String(encode.get(), StandardCharsets.ISO_8859_1);
            } catch (RuntimeException e) {
                return e.getClass().getName();
            }
        }
    }

    static Encoders encoders(String format, Charset charset) {
        LoggerContext context = contextWithEnvironment();
        StructuredLogEncoder boots = bootsEncoder(context, format, charset);
        StructuredLineEncoder ours = StructuredLineEncoder.replacing(boots).orElseThrow();
        return new Encoders(format, boots, ours, context);
    }

    static LoggerContext contextWithEnvironment() {
        LoggerContext context = new LoggerContext();
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.application.name", "ringfence")
                .withProperty("spring.application.version", "1.2.3")
                .withProperty("spring.application.pid", "4242");
        // where Boot's logging system leaves the environment for its structured formats
        context.putObject(Environment.class.getName(), environment);
        return context;
    }

    static StructuredLogEncoder bootsEncoder(LoggerContext context, String format, Charset charset) {
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.setCharset(charset);
        encoder.start();
        return encoder;
    }

    static ConsoleAppender<ILoggingEvent> console(LoggerContext context,
            ch.qos.logback.core.encoder.Encoder<ILoggingEvent> encoder) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(AsyncConsoleLog.CONSOLE);
        console.setEncoder(encoder);
        console.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
        return console;
    }

    static ILoggingEvent event(LoggerContext context, Event event) {
        Level level = List.of(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR).get(event.level());
        Throwable error = event.error() == null ? null : new IllegalStateException(event.error());
        LoggingEvent logged = new LoggingEvent(StructuredLineEncoderTest.class.getName(),
                context.getLogger("ringfence.requests"), level, event.message(), error, null);
        logged.setInstant(Instant.parse("2026-11-30T09:30:00.123456Z"));
        logged.setThreadName("http-nio-8080-exec-1");
        logged.setMDCPropertyMap(event.context());
        for (int i = 0; i + 1 < event.pairs().size(); i += 2) {
            logged.addKeyValuePair(new KeyValuePair(event.pairs().get(i), event.pairs().get(i + 1)));
        }
        if (event.marked()) {
            logged.addMarker(MarkerFactory.getMarker("AUDIT"));
        }
        return logged;
    }

    /** Events whose texts hold any code point: controls, quotes, non-Latin-1 and lone surrogates included. */
    static Gen<Event> events() {
        Gen<String> text = AnyStrings.upTo(16);
        Gen<Map<String, String>> context = lists().of(integers().between(0, KEYS.size() - 1).zip(text,
                (key, value) -> Map.entry(KEYS.get(key), value))).ofSizeBetween(0, 4).map(entries -> {
                    Map<String, String> map = new LinkedHashMap<>();
                    entries.forEach(entry -> map.put(entry.getKey(), entry.getValue()));
                    return map;
                });
        // keys from the list: GELF warns about (and keeps) field names outside its alphabet, which floods the output
        Gen<List<String>> pairs = lists().of(integers().between(0, KEYS.size() - 1).zip(text,
                (key, value) -> List.of(KEYS.get(key), value))).ofSizeBetween(0, 2).map(entries -> {
                    List<String> flat = new ArrayList<>();
                    entries.forEach(flat::addAll);
                    return flat;
                });
        Gen<String> error = integers().between(0, 3).zip(text, (chance, message) -> chance == 0 ? message : null);
        return text.zip(context, pairs, error, (message, mdc, kv, thrown) -> new Event(message, mdc,
                kv, thrown, message.length() % 3 == 0, message.length() % 4));
    }

}
