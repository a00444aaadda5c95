package io.ringfence.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.resource.ResourceTag;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The tags column is written by hand: it must hold what the mapper wrote for the same tags. */
class TagsJsonTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void sameJsonAsTheMapper() {
        List<List<ResourceTag>> cases = List.of(List.of(), List.of(new ResourceTag("bench", "run")),
                List.of(new ResourceTag("a", ""), new ResourceTag("quote\"back\\slash", "tab\tnew\nline"),
                        new ResourceTag("ünïcode", "\u2028 \uD83D\uDE00 </script>"), new ResourceTag("ctl", "\u0001")));
        for (List<ResourceTag> tags : cases) {
            String written = ReservationStore.tagsJson(tags);
            assertThat(json.readTree(written)).as(written).isEqualTo(json.readTree(json.writeValueAsString(tags)));
            assertThat(written).isEqualTo(json.writeValueAsString(tags));
        }
    }
}
