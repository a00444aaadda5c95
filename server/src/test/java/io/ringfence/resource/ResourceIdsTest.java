package io.ringfence.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IDs Ringfence issues, and the check on IDs a request body names. */
class ResourceIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0f5a3c9e-6b1d-4e27-9a84-2d7c5e1b3f60", " x ",
            "123456789012345678901234567890123456789012345678901234567890123"})
    void idsOfOneTo63CharactersAreTakenAsTheyAre(String id) {
        assertThat(ResourceIds.require(id, "spec.reservationId")).isSameAs(id);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t\n", "1234567890123456789012345678901234567890123456789012345678901234"})
    void missingBlankOrLongIdsAre400NamingTheField(String id) {
        assertThatThrownBy(() -> ResourceIds.require(id, "spec.networkId"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isSameAs(ApiError.INVALID_REQUEST);
                    assertThat(e.description()).isEqualTo("request body invalid: spec.networkId must be 1 to 63 characters");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "-", "161b9d5a-701d-4fea-848d-0e345edf16e9", "someone-else",
            "123456789012345678901234567890123456789012345678901234567890123"})
    void organizationAndProjectIdsOfTheIssuedShapeAreTaken(String id) {
        assertThat(ResourceIds.valid(id)).isTrue();
        assertThat(ResourceIds.requireOwner(id, "spec.projectId")).isSameAs(id);
        assertThat(ResourceIds.requireParameter(id, "projectID")).isSameAs(id);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "A", "161B9D5A", "a_b", "a.b", "a b", "a\u0000b", "\uD83D\uDE00",
            "../../etc/passwd", "<script>", "\u00e9t\u00e9",
            "1234567890123456789012345678901234567890123456789012345678901234"})
    void otherOrganizationAndProjectIdsAre400(String id) {
        assertThat(ResourceIds.valid(id)).isFalse();
        assertThatThrownBy(() -> ResourceIds.requireOwner(id, "spec.organizationId"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isSameAs(ApiError.INVALID_REQUEST);
                    assertThat(e.description()).isEqualTo("request body invalid: spec.organizationId must be 1 to 63 "
                            + "lowercase letters, digits or '-'");
                });
        assertThatThrownBy(() -> ResourceIds.requireParameter(id, "organizationID"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.description())
                        .isEqualTo("request invalid: parameter 'organizationID' must be 1 to 63 lowercase letters, "
                                + "digits or '-'"));
    }

    @Test
    void newIdsAreUuidsStartingWithALetter() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String id = ResourceIds.newId();
            assertThat(Character.isLetter(id.charAt(0))).as(id).isTrue();
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
            assertThat(id).hasSize(36).matches("[a-f][0-9a-f-]{35}");
            seen.add(id);
        }
        assertThat(seen).hasSize(500);
    }

    @Test
    void orEmptyTurnsNullIntoAnEmptyList() {
        List<String> values = List.of("a");
        assertThat(ResourceIds.orEmpty(null)).isEmpty();
        assertThat(ResourceIds.orEmpty(values)).isSameAs(values);
    }
}
