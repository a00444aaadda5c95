package io.ringfence.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.contract.model.ErrorCode;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The status-to-code pairs, and the error chosen for a status Ringfence did not choose itself. */
class ApiErrorTest {

    @ParameterizedTest
    @EnumSource(ApiError.class)
    void everyDeclaredStatusMapsToItself(ApiError error) {
        assertThat(ApiError.forStatus(error.status())).isSameAs(error);
    }

    @Test
    void eachStatusIsDeclaredOnce() {
        Set<Integer> statuses = Arrays.stream(ApiError.values()).map(ApiError::status).collect(Collectors.toSet());
        assertThat(statuses).hasSize(ApiError.values().length);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 402, 406, 408, 410, 411, 416, 417, 418, 421, 423, 425, 429, 451, 499})
    void undeclaredClientErrorsAreInvalidRequests(int status) {
        assertThat(ApiError.forStatus(status)).isSameAs(ApiError.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 501, 502, 504, 505, 506, 508, 511, 599})
    void undeclaredServerErrorsAreServerErrors(int status) {
        ApiError error = ApiError.forStatus(status);
        assertThat(error).isSameAs(ApiError.SERVER_ERROR);
        assertThat(error.status()).isEqualTo(500);
    }

    @ParameterizedTest
    @CsvSource({
            "400, INVALID_REQUEST, invalid_request",
            "401, UNAUTHENTICATED, access_denied",
            "403, FORBIDDEN, forbidden",
            "404, NOT_FOUND, not_found",
            "405, METHOD_NOT_ALLOWED, method_not_allowed",
            "409, CONFLICT, conflict",
            "412, PRECONDITION_FAILED, invalid_request",
            "413, PAYLOAD_TOO_LARGE, request_entity_too_large",
            "414, URI_TOO_LONG, invalid_request",
            "415, UNSUPPORTED_MEDIA_TYPE, unsupported_media_type",
            "422, UNPROCESSABLE_CONTENT, unprocessable_content",
            "428, PRECONDITION_REQUIRED, invalid_request",
            "431, HEADERS_TOO_LARGE, invalid_request",
            "500, SERVER_ERROR, server_error",
            "503, SERVICE_UNAVAILABLE, server_error",
            "507, INSUFFICIENT_CAPACITY, conflict"})
    void statusesPairWithTheContractsErrorCodes(int status, ApiError error, String code) {
        assertThat(ApiError.forStatus(status)).isSameAs(error);
        assertThat(error.code()).isEqualTo(ErrorCode.fromValue(code));
    }

    @ParameterizedTest
    @EnumSource(ApiError.class)
    void everyErrorHasADefaultDescription(ApiError error) {
        assertThat(error.defaultDescription()).isNotBlank();
        assertThat(new ApiException(error).description()).isEqualTo(error.defaultDescription());
        assertThat(new ApiException(error, null).description()).isEqualTo(error.defaultDescription());
        assertThat(new ApiException(error, "specific").description()).isEqualTo("specific");
    }

    @Test
    void theShorthandsCarryTheirErrors() {
        assertThat(ApiException.notFound().error()).isSameAs(ApiError.NOT_FOUND);
        assertThat(ApiException.forbidden().error()).isSameAs(ApiError.FORBIDDEN);
        assertThat(ApiException.badRequest("bad").error()).isSameAs(ApiError.INVALID_REQUEST);
        assertThat(ApiException.badRequest("bad").description()).isEqualTo("bad");
        assertThat(ApiException.conflict("busy").error()).isSameAs(ApiError.CONFLICT);
        assertThat(ApiException.notFound().body()).isNull();
        Object body = new Object();
        assertThat(ApiException.withBody(ApiError.UNPROCESSABLE_CONTENT, "blocked", body).body()).isSameAs(body);
    }
}
