package io.ringfence.platform;

/**
 * The character rules of Spring Security's {@code StrictHttpFirewall} for header names, header values and parameter
 * names, as loops over the code points instead of its regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*},
 * and for header values the same with horizontal tab allowed). The firewall checks every header value a filter
 * reads, the bearer token's 800 characters among them, several times per request: the expressions took about 7% of a
 * request thread's CPU in the open loop's profile. ASCII is decided by range; other code points by the same
 * {@link Character#getType(int)} the expressions' classes use, so the answers are the same for every string
 * ({@code FirewallCharactersTest} compares them with the expressions).
 */
public final class FirewallCharacters {

    private FirewallCharacters() {
    }

    /** Whether every code point is assigned and none is a control character (header and parameter names). */
    public static boolean assignedAndNotControl(String value) {
        return allowed(value, false);
    }

    /** {@link #assignedAndNotControl(String)} with horizontal tab allowed too (header values). */
    public static boolean headerValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String value, boolean tab) {
        int length = value.length();
        int i = 0;
        while (i < length) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if ((c < 0x20 || c == 0x7f) && !(tab && c == '\t')) {
                    return false;
                }
                i++;
                continue;
            }
            int codePoint = value.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
