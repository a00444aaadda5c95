package io.ringfence.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Cached tokens are fetched again before they expire: the embedded issuer's tokens live only 15 minutes. */
class TokensTest {

    private static String jwt(long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    @Test
    void aTokenWithUnderAMinuteToLiveIsExpiring() {
        long now = System.currentTimeMillis() / 1000;
        assertThat(Tokens.expiring(jwt(now + 900))).isFalse();
        assertThat(Tokens.expiring(jwt(now + 30))).isTrue();
        assertThat(Tokens.expiring(jwt(now - 1))).isTrue();
        assertThat(Tokens.expiring("garbage")).isTrue();
    }
}
