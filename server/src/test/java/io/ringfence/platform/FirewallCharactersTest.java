package io.ringfence.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's loops answer what Spring Security's regular expressions answer, for any string. */
class FirewallCharactersTest {

    // StrictHttpFirewall's expressions (Spring Security 7.0)
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    private static final List<String> CASES = List.of("", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
            "a\tb", "\t", "a\u0001b", "\u007f", "\u0080", "\u009f", "\u00a0", "caf\u00e9", "\u0378", "\ud83d\ude00",
            "\ud83d", "\ude00x", "\udbff\udfff", "\uf8ff", "\ufffe", "x\r\n", "\u2028", "\u200b", "\ue000",
            new String(Character.toChars(0xE0001)), new String(Character.toChars(0x10FFFD)));

    @Test
    void chosenStringsGetTheExpressionsAnswers() {
        for (String value : CASES) {
            assertThat(FirewallCharacters.assignedAndNotControl(value)).as(escaped(value))
                    .isEqualTo(NAMES.matcher(value).matches());
            assertThat(FirewallCharacters.headerValue(value)).as(escaped(value))
                    .isEqualTo(VALUES.matcher(value).matches());
        }
    }

    @Test
    void anyStringGetsTheExpressionsAnswers() {
        qt().withExamples(20_000).forAll(AnyStrings.upTo(12)).checkAssert(value -> {
            assertThat(FirewallCharacters.assignedAndNotControl(value)).as(escaped(value))
                    .isEqualTo(NAMES.matcher(value).matches());
            assertThat(FirewallCharacters.headerValue(value)).as(escaped(value))
                    .isEqualTo(VALUES.matcher(value).matches());
        });
    }

    private static String escaped(String value) {
        StringBuilder s = new StringBuilder();
        value.chars().forEach(c -> s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return s.toString();
    }
}
