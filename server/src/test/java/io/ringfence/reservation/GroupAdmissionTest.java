package io.ringfence.reservation;

import static io.ringfence.testkit.Fixtures.DEMO_ORG;
import static io.ringfence.testkit.Fixtures.DEMO_PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.ringfence.audit.AuditLog;
import io.ringfence.contract.model.ReservationV2Create;
import io.ringfence.error.ApiError;
import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.support.RingfenceTestBase;
import io.ringfence.support.Reservations;
import io.ringfence.testkit.RawHttp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates admitted in groups ({@link GroupAdmission}) against the real database: a group formed by hand decides in
 * arrival order as lone creates would, refuses only what does not fit, and writes each accepted create's
 * reservation, claims, work item and audit record; a group whose transaction fails writes nothing and sends each
 * create back to be admitted alone; and creates racing over HTTP all pass through groups.
 */
class GroupAdmissionTest extends RingfenceTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GroupAdmission groups;

    @Autowired
    FleetStore fleet;

    @Autowired
    BookingCalendar calendar;

    @Autowired
    FreeUnitCache freeUnitCache;

    @Autowired
    ReservationStore store;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void aGroupDecidesInArrivalOrderAndRefusesOnlyWhatDoesNotFit() {
        UnitType a = unitType("test-group-a"); // 1 pod of 4 units
        UnitType b = unitType("test-group-b"); // 1 pod of 2 units
        GroupAdmission.Candidate three = candidate(a, 3);
        GroupAdmission.Candidate two = candidate(a, 2);
        GroupAdmission.Candidate one = candidate(a, 1);
        GroupAdmission.Candidate elsewhere = candidate(b, 2);
        List<String> accepted = List.of(three.id(), one.id(), elsewhere.id());
        try {
            groups.admitTogether(List.of(three, two, one, elsewhere));

            for (GroupAdmission.Candidate c : List.of(three, one, elsewhere)) {
                assertThat(c.outcome().join()).isInstanceOf(GroupAdmission.Outcome.Accepted.class);
            }
            // the second of the pool did not fit after the first: refused alone, the third still fits after it
            GroupAdmission.Outcome refused = two.outcome().join();
            assertThat(refused).isInstanceOf(GroupAdmission.Outcome.Refused.class);
            var refusal = ((GroupAdmission.Outcome.Refused) refused).refusal();
            assertThat(refusal.error()).isEqualTo(ApiError.INSUFFICIENT_CAPACITY);
            // described as the pool is once the group's grants are written: the one unit left went to the third
            assertThat(refusal.description()).contains("2 contiguous", "test-group-a",
                    "largest contiguous set available is 0");

            // written for the accepted only, each claim once
            String[] all = {three.id(), two.id(), one.id(), elsewhere.id()};
            assertThat(ids("SELECT domain_id FROM unit_claim WHERE reservation_id = ANY(?)", all))
                    .hasSize(6).doesNotHaveDuplicates();
            assertThat(ids("SELECT id FROM reservation WHERE id = ANY(?)", all))
                    .containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(ids("SELECT resource_id FROM work_item WHERE kind = 'reservation' AND resource_id = ANY(?)",
                    all)).containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(ids("SELECT resource_id FROM audit_event WHERE result_status = 202 AND resource_id = ANY(?)",
                    all)).containsExactlyInAnyOrderElementsOf(accepted);

            // the answer is the reservation as stored, and the pool's cached free set is the database's
            ReservationRecord answered = ((GroupAdmission.Outcome.Accepted) three.outcome().join()).reservation();
            ReservationRecord stored = store.find(three.id()).orElseThrow();
            assertThat(stored.status().topologyHash()).isEqualTo(answered.status().topologyHash()).isNotNull();
            assertThat(stored.status().claimedUnitCount()).isEqualTo(3);
            for (UnitType pool : List.of(a, b)) {
                long version = jdbc.sql("SELECT version FROM pool_free_version WHERE unit_type_id = ?")
                        .param(pool.id()).query(Long.class).single();
                FreeUnitCache.Entry entry = freeUnitCache.current(pool.id(), version, Instant.now());
                assertThat(entry).as("the cache holds the version the group's commit made").isNotNull();
                assertThat(new HashSet<>(entry.index().freeUnits())).isEqualTo(new HashSet<>(store.freeUnits(pool.id())));
            }
        } finally {
            String token = demoToken();
            accepted.forEach(id -> Reservations.deleteIfPresent(api, token, id));
        }
    }

    @Test
    void aGroupWhoseTransactionFailsWritesNothingAndSendsEachCreateAlone() {
        UnitType a = unitType("test-group-a");
        String token = demoToken();
        String existing = Reservations.create(api, token, Reservations.body("group-existing", DEMO_ORG, DEMO_PROJECT,
                "test-group-a", 1, List.of())).get("metadata").get("id").asString();
        try {
            GroupAdmission.Candidate fresh = candidate(a, 1);
            // a second reservation under an ID that exists: the insert fails on the primary key, and the whole group
            // with it, after the fresh create's units were decided
            GroupAdmission.Candidate clash = new GroupAdmission.Candidate(existing, "group-test", request(a, 1),
                    List.of(), a, window(), null);

            groups.admitTogether(List.of(fresh, clash));

            assertThat(fresh.outcome().join()).isInstanceOf(GroupAdmission.Outcome.Alone.class);
            assertThat(clash.outcome().join()).isInstanceOf(GroupAdmission.Outcome.Alone.class);
            assertThat(ids("SELECT id FROM reservation WHERE id = ANY(?)", fresh.id())).isEmpty();
            assertThat(ids("SELECT reservation_id FROM unit_claim WHERE reservation_id = ANY(?)", fresh.id())).isEmpty();
            assertThat(ids("SELECT resource_id FROM work_item WHERE resource_id = ANY(?)", fresh.id())).isEmpty();
            assertThat(jdbc.sql("SELECT count(*) FROM unit_claim WHERE reservation_id = ?").param(existing)
                    .query(Long.class).single()).isEqualTo(1L);
            assertThat(freeUnitCache.entry(a.id())).as("the pool's cached set is not trusted again").isNull();
        } finally {
            Reservations.deleteIfPresent(api, token, existing);
        }
    }

    @Test
    void createsRacingOverHttpArePassedThroughGroupsAndEachGetsItsOwnUnits() throws Exception {
        DistributionSummary sizes = meters.find("ringfence.admission.group.size").summary();
        assertThat(sizes).isNotNull();
        double admittedBefore = sizes.totalAmount();
        String token = demoToken();
        List<String> created = new ArrayList<>();
        try {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String region = i % 2 == 0 ? "test-contention-cached" : "test-shared-pass";
                bodies.add(Reservations.body("grouped", DEMO_ORG, DEMO_PROJECT, region, 1, List.of()));
            }
            for (RawHttp.Response response : Reservations.createAtOnce(api, token, bodies)) {
                assertThat(response.status()).as(response.toString()).isEqualTo(202);
                created.add(response.json().get("metadata").get("id").asString());
            }
            assertThat(sizes.totalAmount() - admittedBefore).as("creates admitted in groups").isEqualTo(12);
            assertThat(ids("SELECT domain_id FROM unit_claim WHERE reservation_id = ANY(?)",
                    created.toArray(String[]::new))).hasSize(12).doesNotHaveDuplicates();
            assertThat(ids("SELECT resource_id FROM audit_event WHERE result_status = 202 AND resource_id = ANY(?)",
                    created.toArray(String[]::new))).containsExactlyInAnyOrderElementsOf(created);
        } finally {
            created.forEach(id -> assertThat(api.delete(token, "/api/v2/reservations/" + id).status()).isEqualTo(202));
            created.forEach(id -> Reservations.deleteIfPresent(api, token, id));
        }
    }

    /**
     * A pool's free set is read from the database only when something other than this replica's creates and deletes
     * changed it since: a delete hands its units back to the cached set. The counts an operator sees under
     * {@code ringfence.admission.free.set} say which it was.
     */
    @Test
    void aPoolsFreeSetIsReadAgainOnlyAfterAChangeThisReplicaDidNotTrack() {
        UnitType b = unitType("test-group-b"); // 1 pod of 2 units
        String token = demoToken();
        GroupAdmission.Candidate first = candidate(b, 1);
        GroupAdmission.Candidate second = candidate(b, 1);
        GroupAdmission.Candidate third = candidate(b, 1);
        GroupAdmission.Candidate fourth = candidate(b, 1);
        try {
            groups.admitTogether(List.of(first));
            double cached = freeSets("cache");
            double read = freeSets("database");
            long readTimes = meters.find("ringfence.admission.free.set.read").timer().count();

            groups.admitTogether(List.of(second)); // right after the first: the set it left behind
            assertThat(second.outcome().join()).isInstanceOf(GroupAdmission.Outcome.Accepted.class);
            assertThat(freeSets("cache") - cached).isEqualTo(1);

            // the pool is full; once the first is deleted, its unit is back in the cached set, under the version
            // the delete's transaction made
            Reservations.deleteIfPresent(api, token, first.id());
            long version = jdbc.sql("SELECT version FROM pool_free_version WHERE unit_type_id = ?").param(b.id())
                    .query(Long.class).single();
            FreeUnitCache.Entry entry = freeUnitCache.current(b.id(), version, Instant.now());
            assertThat(entry).as("the cache holds the version the delete made").isNotNull();
            assertThat(new HashSet<>(entry.index().freeUnits())).isEqualTo(new HashSet<>(store.freeUnits(b.id())))
                    .hasSize(1);
            groups.admitTogether(List.of(third));
            assertThat(third.outcome().join()).isInstanceOf(GroupAdmission.Outcome.Accepted.class);
            assertThat(freeSets("cache") - cached).isEqualTo(2);
            assertThat(freeSets("database") - read).isZero();

            // a change no create or delete of this replica made (an operator drains a unit and undoes it): read again
            Reservations.deleteIfPresent(api, token, second.id());
            jdbc.sql("UPDATE nvlink_domain d SET draining = NOT draining FROM pod p "
                    + "WHERE p.id = d.pod_id AND p.unit_type_id = ? AND d.position = 0").param(b.id()).update();
            jdbc.sql("UPDATE nvlink_domain d SET draining = NOT draining FROM pod p "
                    + "WHERE p.id = d.pod_id AND p.unit_type_id = ? AND d.position = 0").param(b.id()).update();
            groups.admitTogether(List.of(fourth));
            assertThat(fourth.outcome().join()).isInstanceOf(GroupAdmission.Outcome.Accepted.class);
            assertThat(freeSets("database") - read).isEqualTo(1);
            assertThat(meters.find("ringfence.admission.free.set.read").timer().count() - readTimes).isEqualTo(1);
        } finally {
            for (GroupAdmission.Candidate c : List.of(first, second, third, fourth)) {
                Reservations.deleteIfPresent(api, token, c.id());
            }
        }
    }

    private double freeSets(String from) {
        return meters.find("ringfence.admission.free.set").tag("from", from).counter().count();
    }

    private UnitType unitType(String region) {
        return fleet.unitType(region, "GB300", "NVL72").orElseThrow();
    }

    private GroupAdmission.Candidate candidate(UnitType unitType, int count) {
        String id = io.ringfence.resource.ResourceIds.newId();
        AuditLog.AuditEvent record = new AuditLog.AuditEvent(null, "group-test", "group-test", DEMO_ORG, DEMO_PROJECT,
                "reservation", id, "POST /api/v2/reservations", 202, null, null);
        return new GroupAdmission.Candidate(id, "group-test", request(unitType, count), List.of(), unitType, window(),
                record);
    }

    private static ReservationV2Create request(UnitType unitType, int count) {
        return JSON.readValue(Reservations.body("grouped", DEMO_ORG, DEMO_PROJECT, unitType.regionId(), count,
                List.of()), ReservationV2Create.class);
    }

    private BookingWindow window() {
        return BookingWindow.of(null, null, Instant.now(), calendar.rules());
    }

    private List<String> ids(String sql, String... ids) {
        return jdbc.sql(sql).param((Object) ids).query(String.class).list();
    }
}
