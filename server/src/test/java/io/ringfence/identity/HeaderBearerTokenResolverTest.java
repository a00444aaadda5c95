package io.ringfence.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The fast header check accepts exactly what Spring's resolver accepts, and answers what it answers. */
class HeaderBearerTokenResolverTest {

    // the pattern of DefaultBearerTokenResolver
    private static final Pattern SPRING = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$",
            Pattern.CASE_INSENSITIVE);

    private static final List<String> HEADERS = List.of("Bearer abc", "bearer abc", "BEARER abc", "BeArEr a.b-c_d~e+f/g",
            "Bearer abc==", "Bearer abc=", "Bearer =", "Bearer ", "Bearer", "Bearer  abc", "Bearer abc ", "Bearer a=b",
            "Bearer abc\n", "Bearer\tabc", "Basic abc", "Bearerabc", "Bearer ab$c", "Bearer äbc", "Bearer \u212Abc",
            "\u212Aearer abc", "Bearer abc==x", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "");

    @Test
    void theCheckAgreesWithSpringsPattern() {
        for (String header : HEADERS) {
            assertThat(HeaderBearerTokenResolver.wellFormed(header)).as(header).isEqualTo(SPRING.matcher(header).matches());
        }
    }

    @Test
    void answersWhatSpringsResolverAnswers() {
        HeaderBearerTokenResolver fast = new HeaderBearerTokenResolver();
        DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();
        for (String method : List.of("POST", "GET", "DELETE")) {
            for (String header : HEADERS) {
                MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/v2/reservations");
                request.setContentType("application/json");
                request.addHeader("Authorization", header);
                String expected;
                try {
                    expected = spring.resolve(request);
                } catch (OAuth2AuthenticationException e) {
                    assertThatThrownBy(() -> fast.resolve(request)).as(method + " " + header)
                            .isInstanceOf(OAuth2AuthenticationException.class).hasMessage(e.getMessage());
                    continue;
                }
                assertThat(fast.resolve(request)).as(method + " " + header).isEqualTo(expected);
            }
        }
        MockHttpServletRequest none = new MockHttpServletRequest("POST", "/api/v2/reservations");
        assertThat(fast.resolve(none)).isNull();
    }

    @Test
    void aGetOrFormPostWithAnAccessTokenParameterAnswersWhatSpringsResolverAnswers() {
        for (String method : List.of("GET", "POST")) {
            MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/v2/reservations");
            request.addHeader("Authorization", "Bearer abc");
            request.setContentType("application/x-www-form-urlencoded");
            request.setQueryString("access_token=def");
            request.addParameter("access_token", "def");
            Object expected = outcome(() -> new DefaultBearerTokenResolver().resolve(request));
            assertThat(outcome(() -> new HeaderBearerTokenResolver().resolve(request))).as(method).isEqualTo(expected);
        }
    }

    private static Object outcome(java.util.function.Supplier<String> resolve) {
        try {
            return resolve.get();
        } catch (OAuth2AuthenticationException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
