package io.ringfence.platform;

/**
 * The one rule on control characters in what clients send: none in any JSON string, query parameter or header
 * value. Query parameters and JSON strings are text, so every C0 and C1 control and DEL is refused; header values
 * arrive as ISO-8859-1 octets (a UTF-8 value's bytes may fall in the C1 range), so there only C0 controls other
 * than horizontal tab, and DEL, are refused.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** Whether a text value (a JSON string, a decoded query parameter) holds a control character. */
    public static boolean inText(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a header value holds a control character (horizontal tab is allowed there, by RFC 9110). */
    public static boolean inHeader(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
