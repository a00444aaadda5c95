package io.ringfence.provider;

import java.util.Objects;

/**
 * Names one piece of platform work exactly: its kind, what it acts on (a unit or a server), whom it acts for (a
 * reservation or a placement) and, for work that can be asked again (a second reboot), which request it is.
 */
public record OperationKey(OperationKind kind, String target, String owner, long generation) {

    public OperationKey {
        Objects.requireNonNull(kind, "kind");
        requireWord(target, "target");
        requireWord(owner, "owner");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must be >= 0: " + generation);
        }
    }

    private static void requireWord(String value, String what) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + " must be a non-empty word: " + value);
        }
    }

    @Override
    public String toString() {
        return kind.value() + " " + target + " " + owner + " " + generation;
    }
}
