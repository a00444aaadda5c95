package io.ringfence.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.contract.model.Tag;
import io.ringfence.error.ApiError;
import io.ringfence.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tags of create requests and tag filters of list requests. */
class ResourceTagTest {

    @Test
    void requestTagsAreKeptInOrder() {
        List<ResourceTag> tags = ResourceTag.fromRequest(List.of(new Tag("team", "ml"), new Tag("cost-centre", "42"),
                new Tag("empty", "")));

        assertThat(tags).containsExactly(new ResourceTag("team", "ml"), new ResourceTag("cost-centre", "42"),
                new ResourceTag("empty", ""));
    }

    @Test
    void tagCountAndLengthsHaveLimits() {
        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < ResourceTag.MAX_TAGS; i++) {
            many.add(new Tag(("t" + i + "n".repeat(63)).substring(0, 63), "v".repeat(255)));
        }
        assertThat(ResourceTag.fromRequest(many)).hasSize(64);
        many.add(new Tag("one-more", "v"));
        assertThatThrownBy(() -> ResourceTag.fromRequest(many)).isInstanceOf(ApiException.class)
                .hasMessageContaining("at most 64 tags");
        assertThatThrownBy(() -> ResourceTag.fromRequest(List.of(new Tag("n".repeat(64), "v"))))
                .isInstanceOf(ApiException.class).hasMessageContaining("at most 63");
        assertThatThrownBy(() -> ResourceTag.fromRequest(List.of(new Tag("n", "v".repeat(256)))))
                .isInstanceOf(ApiException.class).hasMessageContaining("at most 255");
        ArrayList<Tag> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> ResourceTag.fromRequest(withNull)).isInstanceOf(ApiException.class);
    }

    @Test
    void noTagsAreNoTags() {
        assertThat(ResourceTag.fromRequest(null)).isEmpty();
        assertThat(ResourceTag.fromRequest(List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"identity.unikorn-cloud.org:operation", "region.unikorn-cloud.org:",
            "compute.unikorn-cloud.org:x/y"})
    void reservedNamesAreRefused(String name) {
        assertThat(new ResourceTag(name, "v").reserved()).isTrue();
        assertThatThrownBy(() -> ResourceTag.fromRequest(List.of(new Tag("team", "ml"), new Tag(name, "v"))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isSameAs(ApiError.INVALID_REQUEST);
                    assertThat(e.description()).contains("'" + name + "'").contains("reserved");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"unikorn-cloud.org:operation", "Identity.unikorn-cloud.org:operation",
            "identity.unikorn-cloud.org", "identity.unikorn-cloudXorg:operation", "my.identity.unikorn-cloud.org:x",
            "x-identity.unikorn-cloud.org:op", "identity.example.org:operation", "team"})
    void namesMerelyResemblingReservedOnesAreAllowed(String name) {
        assertThat(new ResourceTag(name, "v").reserved()).isFalse();
        assertThat(ResourceTag.fromRequest(List.of(new Tag(name, "v")))).containsExactly(new ResourceTag(name, "v"));
    }

    @Test
    void repeatedNamesAreRefused() {
        List<Tag> tags = List.of(new Tag("team", "ml"), new Tag("owner", "alice"), new Tag("team", "infra"));

        assertThatThrownBy(() -> ResourceTag.fromRequest(tags))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isSameAs(ApiError.INVALID_REQUEST);
                    assertThat(e.description()).contains("'team'").contains("repeated");
                });
        // the same value twice is still a repeated name
        assertThatThrownBy(() -> ResourceTag.fromRequest(List.of(new Tag("team", "ml"), new Tag("team", "ml"))))
                .isInstanceOf(ApiException.class);
        // names differing in case are different names
        assertThat(ResourceTag.fromRequest(List.of(new Tag("team", "ml"), new Tag("Team", "ml")))).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a=b|a|b",
            "team=ml|team|ml",
            "empty=|empty|''",
            "k=v with spaces|k|v with spaces",
            "identity.unikorn-cloud.org:operation=x|identity.unikorn-cloud.org:operation|x"})
    void selectorsOfOneEqualsSignAreNameAndValue(String selector, String name, String value) {
        assertThat(ResourceTag.fromSelectors(List.of(selector))).containsExactly(new ResourceTag(name, value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "=b", "a=b=c", "", "=", "==", "a==b"})
    void otherSelectorsAreRefused(String selector) {
        assertThatThrownBy(() -> ResourceTag.fromSelectors(List.of("ok=1", selector)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isSameAs(ApiError.INVALID_REQUEST);
                    assertThat(e.description()).contains("'" + selector + "'").contains("name=value");
                });
    }

    @Test
    void manySelectorsKeepTheirOrderAndRepeatsAreAllowed() {
        List<String> selectors = new ArrayList<>(List.of("a=1", "b=2", "a=3"));

        assertThat(ResourceTag.fromSelectors(selectors)).containsExactly(new ResourceTag("a", "1"),
                new ResourceTag("b", "2"), new ResourceTag("a", "3"));
        assertThat(ResourceTag.fromSelectors(null)).isEmpty();
    }

    @Test
    void aTagNeedsANameAndAValue() {
        assertThatThrownBy(() -> new ResourceTag(null, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceTag("", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceTag("n", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toWireKeepsNameAndValue() {
        Tag wire = new ResourceTag("team", "ml").toWire();
        assertThat(wire.getName()).isEqualTo("team");
        assertThat(wire.getValue()).isEqualTo("ml");
    }
}
