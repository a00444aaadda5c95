package io.ringfence.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.resource.ResourceTag;
import io.ringfence.support.RingfenceTestBase;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How PostgreSQL can read a list (V21 and {@link ReservationStore#list}). The list of one organization, or of one of
 * its projects, can come in answer order from an index, with no sort; a rare tag is found through the tag index.
 * Which plan PostgreSQL takes for a broad filter depends on its costs (how the organization's rows lie in the table,
 * {@code random_page_cost}); forbidding the sort shows that the order is there to take. The rows are written in a
 * transaction that is rolled back, statistics included, so no other test sees them.
 */
class ListPlanTest extends RingfenceTestBase {

    static final String ORG = "list-plan-org";

    @Autowired
    ReservationStore store;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void anOrganizationsListCanComeInOrderFromItsIndexAndARareTagComesFromTheTagIndex() {
        transactions.executeWithoutResult(status -> {
            status.setRollbackOnly();
            // 3,000 reservations of one organization in two projects, all but 5 of them tagged set=list
            insert(3000, "md5(i::text)", "CASE WHEN i % 2 = 0 THEN 'plan-project' ELSE 'plan-other-project' END", 600);

            String rare = plan(new ReservationFilter(Set.of(ORG), List.of(), List.of(),
                    List.of(new ResourceTag("set", "rare"))));
            jdbc.sql("SET LOCAL enable_sort = off").update();
            String broad = plan(new ReservationFilter(Set.of(ORG), List.of(), List.of(),
                    List.of(new ResourceTag("set", "list"))));
            String project = plan(new ReservationFilter(Set.of(ORG), List.of("plan-project"), List.of(), List.of()));

            assertThat(broad).contains("reservation_organization_order").doesNotContain("Sort Key: r.id");
            assertThat(rare).contains("reservation_tags");
            assertThat(project).contains("reservation_scope").doesNotContain("Sort Key: r.id");
        });
    }

    @Test
    void theListIsInAnswerOrderWhicheverWayItIsRead() {
        transactions.executeWithoutResult(status -> {
            status.setRollbackOnly();
            insert(1000, "CASE WHEN i % 2 = 0 THEN upper(md5(i::text)) ELSE md5(i::text) END", "'plan-project'", 100);

            for (String tag : List.of("list", "rare")) {
                List<String> ids = store.list(new ReservationFilter(Set.of(ORG), List.of(), List.of(),
                        List.of(new ResourceTag("set", tag)))).stream().map(ReservationRecord::id).toList();
                // upper and lower case ids mixed: in Java's order (PostgreSQL's "C" collation), not a locale's
                assertThat(ids).as(tag).hasSize(tag.equals("list") ? 990 : 10).isSorted();
            }
        });
    }

    /**
     * Reservations of {@link #ORG} written straight into the table, with ids and projects computed from i = 1..rows;
     * every rareEvery-th is tagged set=rare, the others set=list. Then fresh statistics, as autovacuum would make.
     */
    private void insert(int rows, String id, String project, int rareEvery) {
        StoredReservations.insert(jdbc, ORG, rows, new StoredReservations.Sql(id),
                new StoredReservations.Sql("""
                        jsonb_build_array(jsonb_build_object('name', 'set', 'value',
                                          CASE WHEN i % ? = 0 THEN 'rare' ELSE 'list' END))""", rareEvery),
                new StoredReservations.Sql(project));
        jdbc.sql("ANALYZE reservation").update();
    }

    /** The plan PostgreSQL makes for a list, as the store asks for it. */
    private String plan(ReservationFilter filter) {
        ReservationStore.Statement list = store.listStatement(filter);
        store.planForTheValuesGiven();
        return String.join("\n", jdbc.sql("EXPLAIN " + list.sql()).params(list.params()).query(String.class).list());
    }
}
