package io.ringfence.platform;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import org.quicktheories.core.Gen;

/** Generated text for the checks that must hold for any string a client or a log line can carry. */
final class AnyStrings {

    private AnyStrings() {
    }

    /**
     * Strings of up to {@code maxLength} code points drawn from ASCII, the C1 controls, Latin-1, the BMP (lone
     * surrogates too) and beyond, with tabs.
     */
    static Gen<String> upTo(int maxLength) {
        Gen<Integer> codePoint = integers().between(0, 5).zip(integers().allPositive(), (range, r) -> switch (range) {
            case 0 -> r % 0x80;
            case 1 -> 0x80 + r % 0x20;
            case 2 -> r % 0x100;
            case 3 -> r % 0x10000;
            case 4 -> r % 0x110000;
            default -> (int) '\t';
        });
        return lists().of(codePoint).ofSizeBetween(0, maxLength).map(points -> {
            StringBuilder s = new StringBuilder();
            points.forEach(s::appendCodePoint);
            return s.toString();
        });
    }
}
