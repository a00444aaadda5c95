package io.ringfence.reservation;

import io.ringfence.fleet.FleetStore;
import io.ringfence.fleet.UnitType;
import io.ringfence.resource.ProvisioningStatus;
import io.ringfence.resource.ResourceMetadata;
import io.ringfence.resource.ResourceTag;
import io.ringfence.capacity.FreeUnit;
import io.ringfence.fleet.FleetManifest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import io.ringfence.storage.ReadAhead;
import io.ringfence.storage.RowFeed;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reservations and their unit claims in PostgreSQL. */
@Repository
public class ReservationStore {

    /**
     * Hosts down come from one join with the few unhealthy units (the partial index of V11), not from a subquery
     * per row: a list of thousands of reservations, nearly all healthy, then costs one small aggregate. The count is
     * derived at read time rather than stored, so no write path has to keep it.
     */
    private static final String SELECT = """
            SELECT r.id, r.name, r.description, r.tags::text AS tags, r.organization_id, r.project_id, r.region_id,
                   r.accelerator, r.unit, r.unit_count, r.unit_type_id, r.pod_id, r.claimed_unit_count,
                   r.topology_hash, r.topology_observed_at, r.created_by, r.creation_time,
                   NULL AS modified_by, NULL::timestamptz AS modified_time, r.provisioning_status,
                   r.status_message, r.deletion_time, r.health_note, r.start_time, r.end_time,
                   COALESCE(down.hosts, 0) AS hosts_down
            FROM reservation r
            LEFT JOIN (SELECT c.reservation_id, sum(d.unhealthy_hosts) AS hosts
                       FROM nvlink_domain d JOIN unit_claim c ON c.domain_id = d.id
                       WHERE d.unhealthy_hosts > 0
                       GROUP BY c.reservation_id) down ON down.reservation_id = r.id
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final FleetStore fleet;
    private final Duration turnaround;
    private final TransactionTemplate transactions;
    private final ReadAhead readAhead;

    public ReservationStore(JdbcClient jdbc, JsonMapper json, FleetStore fleet, CalendarProperties calendar,
                            TransactionTemplate transactions, ReadAhead readAhead) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.readAhead = readAhead;
        this.json = json;
        this.fleet = fleet;
        this.turnaround = calendar.turnaround();
    }

    public Optional<ReservationRecord> find(String id) {
        return jdbc.sql(SELECT + " WHERE r.id = ?").param(id).query(this::map).optional();
    }

    /** The reservations of these IDs that exist, by ID. */
    public Map<String, ReservationRecord> findAll(List<String> ids) {
        Map<String, ReservationRecord> found = new HashMap<>();
        jdbc.sql(SELECT + " WHERE r.id = ANY(?)").param(ids.toArray(String[]::new)).query(this::map).list()
                .forEach(r -> found.put(r.id(), r));
        return found;
    }

    /**
     * The reservations a filter selects, in answer order. PostgreSQL plans this statement for its values on every
     * call: its best plan depends on how many rows the filters select, which a plan made once for any values cannot
     * know. For a tag most of an organization's reservations carry, the rows then come off an index in answer order
     * (V21) instead of being read through the tag index and sorted; for a rare tag the tag index is still used.
     */
    public List<ReservationRecord> list(ReservationFilter filter) {
        Statement list = listStatement(filter);
        return transactions.execute(status -> {
            // a plan made once (the driver prepares the statement from its fifth use) assumed a tag matches 100 rows
            planForTheValuesGiven();
            return jdbc.sql(list.sql()).params(list.params()).query(this::map).list();
        });
    }

    /**
     * {@link #list}, read on a reader thread ({@link ReadAhead}) and handed over in batches of {@link #READ_AHEAD}
     * rows as they come. The statement runs with that fetch size, so the driver reads the rows a batch at a time
     * through a cursor, and the caller can write out the first while PostgreSQL scans for the next; read at once,
     * the driver would hand over nothing before the last row.
     */
    public RowFeed<ReservationRecord> listAhead(ReservationFilter filter) {
        Statement list = listStatement(filter);
        return readAhead.read(feed -> transactions.executeWithoutResult(status -> {
            planForTheValuesGiven();
            jdbc.sql(list.sql()).params(list.params()).withFetchSize(READ_AHEAD)
                    .query((ResultSetExtractor<Integer>) rs -> handOver(rs, feed));
        }));
    }

    /** Hands the rows over in batches as the driver fetches them; returns how many it read. */
    private int handOver(ResultSet rs, RowFeed<ReservationRecord> feed) throws SQLException {
        List<ReservationRecord> batch = new ArrayList<>(READ_AHEAD);
        int row = 0;
        while (rs.next()) {
            batch.add(map(rs, row++));
            // handed over where the driver is about to fetch the next rows, before it waits for them
            if (row % READ_AHEAD == 0) {
                if (!feed.publish(batch)) {
                    return row;
                }
                batch.clear();
            }
        }
        feed.publish(batch);
        return row;
    }

    /** Until the transaction ends, PostgreSQL plans every statement for the values bound to it. */
    void planForTheValuesGiven() {
        jdbc.sql("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)").query(String.class).single();
    }

    /**
     * Rows a read ahead fetches at a time and hands over together. Small enough that the first batch is ready
     * after a few milliseconds, large enough that fetching a batch (one round trip) costs little beside reading it.
     */
    static final int READ_AHEAD = 256;

    /** A statement and the values bound to its parameters, in order. */
    record Statement(String sql, List<Object> params) {
        Statement {
            params = List.copyOf(params);
        }
    }

    Statement listStatement(ReservationFilter filter) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (filter.organizationIds() != null) {
            oneOf(sql, params, "r.organization_id", filter.organizationIds());
        }
        if (!filter.projectIds().isEmpty()) {
            oneOf(sql, params, "r.project_id", filter.projectIds());
        }
        if (!filter.regionIds().isEmpty()) {
            oneOf(sql, params, "r.region_id", filter.regionIds());
        }
        if (!filter.tags().isEmpty()) {
            sql.append(" AND r.tags @> ?");
            params.add(ResourceMetadata.tagsContaining(filter.tags(), json));
        }
        sql.append(" ORDER BY r.id COLLATE \"C\"");
        return new Statement(sql.toString(), params);
    }

    /**
     * A column equal to one of some values. A single value is written as {@code =}: PostgreSQL then takes the column
     * as fixed and can read the rows in answer order from an index that starts with it, which {@code = ANY} of a
     * one-element array does not allow.
     */
    private static void oneOf(StringBuilder sql, List<Object> params, String column, Collection<String> values) {
        if (values.size() == 1) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(values.iterator().next());
        } else {
            sql.append(" AND ").append(column).append(" = ANY(?)");
            params.add(values.toArray(String[]::new));
        }
    }

    /** Takes the allocation lock of one capacity pool (a region's unit type) until the transaction ends. */
    public void lockCapacityPool(long unitTypeId) {
        jdbc.sql("SELECT id FROM unit_type WHERE id = ? FOR NO KEY UPDATE").param(unitTypeId).query(Long.class).single();
    }

    /**
     * The free, healthy units of a capacity pool that an open-ended reservation may take now: the allocator's
     * snapshot. A unit another reservation let go of is free only once the platform has it back (until then
     * preparing it for someone else would fail), and a unit booked by anyone at any later time is not free for ever.
     */
    public List<FreeUnit> freeUnits(long unitTypeId) {
        return jdbc.sql("SELECT d.id, d.pod_id, d.position" + FREE_UNITS)
                .param(unitTypeId)
                .query((rs, n) -> new FreeUnit(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list();
    }

    /**
     * {@link #freeUnits} with the hosts of each unit (infrastructure references, by position), read together: a
     * create computes its topology hash from them without asking for them under the pool's lock.
     */
    public FreeSet freeSet(long unitTypeId) {
        Map<String, List<String>> hosts = new HashMap<>();
        List<FreeUnit> units = jdbc.sql("""
                        SELECT d.id, d.pod_id, d.position,
                               ARRAY(SELECT h.infrastructure_ref FROM host h WHERE h.domain_id = d.id
                                     ORDER BY h.position)""" + FREE_UNITS)
                .param(unitTypeId)
                .query((rs, n) -> {
                    hosts.put(rs.getString(1), List.of((String[]) rs.getArray(4).getArray()));
                    return new FreeUnit(rs.getString(1), rs.getString(2), rs.getInt(3));
                })
                .list();
        return new FreeSet(units, hosts);
    }

    /** A pool's free units and the hosts of each. */
    public record FreeSet(List<FreeUnit> units, Map<String, List<String>> hostsByUnit) {
    }

    /** What makes a domain {@code d} free now (see {@link #freeUnits}). */
    private static final String FREE_DOMAIN = """

             d.unhealthy_hosts = 0 AND NOT d.draining
              AND NOT EXISTS (SELECT 1 FROM unit_claim c WHERE c.domain_id = d.id)
              AND NOT EXISTS (SELECT 1 FROM unit_release r WHERE r.domain_id = d.id)
              AND NOT EXISTS (SELECT 1 FROM unit_booking b WHERE b.domain_id = d.id
                              AND (upper_inf(b.during) OR upper(b.during) > now()))""";

    private static final String FREE_UNITS = """

            FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id
            WHERE p.unit_type_id = ? AND""" + FREE_DOMAIN;

    /** The domains the reservations claim or book, whatever their pool. */
    public List<String> heldDomains(List<String> reservationIds) {
        String[] ids = reservationIds.toArray(String[]::new);
        return jdbc.sql("""
                        SELECT domain_id FROM unit_claim WHERE reservation_id = ANY(?)
                        UNION SELECT domain_id FROM unit_booking WHERE reservation_id = ANY(?)""")
                .params(ids, ids)
                .query(String.class)
                .list();
    }

    /**
     * Which of {@code domainIds} are free now, with their hosts, by pool: {@link #freeSet}'s question asked of a few
     * domains, as this transaction sees them.
     */
    public Map<Long, FreeSet> freeAmong(List<String> domainIds) {
        Map<Long, FreeSet> byPool = new HashMap<>();
        jdbc.sql("""
                        SELECT p.unit_type_id, d.id, d.pod_id, d.position,
                               ARRAY(SELECT h.infrastructure_ref FROM host h WHERE h.domain_id = d.id
                                     ORDER BY h.position)
                        FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id
                        WHERE d.id = ANY(?) AND""" + FREE_DOMAIN)
                .param(domainIds.toArray(String[]::new))
                .query((rs, n) -> {
                    FreeSet pool = byPool.computeIfAbsent(rs.getLong(1),
                            k -> new FreeSet(new ArrayList<>(), new HashMap<>()));
                    pool.units().add(new FreeUnit(rs.getString(2), rs.getString(3), rs.getInt(4)));
                    pool.hostsByUnit().put(rs.getString(2), List.of((String[]) rs.getArray(5).getArray()));
                    return null;
                })
                .list();
        return byPool;
    }

    /**
     * Gives each pool's free set a new version now (its row triggers then leave it alone at commit) and answers it
     * for the pools whose replaced version is the expected one: nothing but this transaction changed their free
     * sets since. A pool is missing from the answer otherwise. The version-taking half of {@link #insertAll}, for
     * changes other than creates.
     */
    public Map<Long, Long> takeFreeSetVersions(Map<Long, Long> expected) {
        Long[] pools = expected.keySet().toArray(Long[]::new);
        Long[] versions = Arrays.stream(pools).map(expected::get).toArray(Long[]::new);
        Map<Long, Long> taken = new HashMap<>();
        jdbc.sql(TAKE_VERSIONS).params(pools, versions).query(takenInto(taken)).list();
        return taken;
    }

    /** Takes pools' free-set versions; its last two parameters: the pools, and the versions expected (bigint[] each). */
    private static final String TAKE_VERSIONS =
            "SELECT x.p, pool_free_version_take(x.p, x.v) FROM unnest(?::bigint[], ?::bigint[]) AS x(p, v)";

    /** Collects {@link #TAKE_VERSIONS}' answer: each pool whose version was taken, with the version. */
    private static RowMapper<Void> takenInto(Map<Long, Long> taken) {
        return (rs, n) -> {
            long version = rs.getLong(2);
            if (!rs.wasNull()) {
                taken.put(rs.getLong(1), version);
            }
            return null;
        };
    }

    public record FreeSetVersion(Long version, Instant now) {
    }

    /**
     * {@link #lockCapacityPool}, then the pool's free-set version (null until a change was first recorded) and the
     * transaction's database time, in one round trip. The version is read by V18's function with a snapshot taken
     * after the lock was granted: read in the locking statement itself, it would come from that statement's
     * snapshot, taken before it waited, and show the version from before the previous holder's commit.
     */
    public FreeSetVersion lockCapacityPoolAndReadVersion(long unitTypeId) {
        return jdbc.sql("SELECT pool_lock_and_version(?), now()")
                .param(unitTypeId)
                .query((rs, n) -> new FreeSetVersion((Long) rs.getObject(1), rs.getTimestamp(2).toInstant()))
                .single();
    }

    /**
     * {@link #lockCapacityPoolAndReadVersion} for several pools, locked in ascending order so that two transactions
     * locking overlapping sets cannot deadlock; one round trip (V19's function, which reads each version after
     * that pool's lock is granted).
     */
    public Map<Long, FreeSetVersion> lockCapacityPoolsAndReadVersions(java.util.SortedSet<Long> unitTypeIds) {
        Map<Long, FreeSetVersion> versions = new HashMap<>();
        jdbc.sql("SELECT t.pool, t.version, now() FROM pool_locks_and_versions(?::bigint[]) AS t")
                .param(unitTypeIds.toArray(Long[]::new))
                .query((rs, n) -> versions.put(rs.getLong(1),
                        new FreeSetVersion((Long) rs.getObject(2), rs.getTimestamp(3).toInstant())))
                .list();
        return versions;
    }

    /**
     * The earliest end, after now, of a finite booking of the pool: until then {@link #freeUnits} stays the same
     * unless a row changes; at that instant a unit may become free with none changing. Null when there is none.
     */
    public Instant freeUnitsValidUntil(long unitTypeId) {
        return jdbc.sql("""
                        SELECT min(upper(b.during))
                        FROM unit_booking b JOIN nvlink_domain d ON d.id = b.domain_id JOIN pod p ON p.id = d.pod_id
                        WHERE p.unit_type_id = ? AND NOT upper_inf(b.during) AND upper(b.during) > now()""")
                .param(unitTypeId)
                .query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant())
                .optional().orElse(null);
    }

    /**
     * The tags column's JSON ({@code [{"name":..,"value":..}]}), as the mapper writes the list but without its
     * per-call set-up, which was a visible part of a create's CPU; PostgreSQL stores it as {@code jsonb} either way.
     */
    static String tagsJson(List<ResourceTag> tags) {
        StringBuilder out = new StringBuilder(2 + 32 * tags.size()).append('[');
        JsonStringEncoder quote = JsonStringEncoder.getInstance();
        for (int i = 0; i < tags.size(); i++) {
            ResourceTag tag = tags.get(i);
            out.append(i == 0 ? "{\"name\":\"" : ",{\"name\":\"");
            quote.quoteAsString(tag.name(), out);
            out.append("\",\"value\":\"");
            quote.quoteAsString(tag.value(), out);
            out.append("\"}");
        }
        return out.append(']').toString();
    }

    /** A new reservation with the units it books over {@code booked} (and claims, when it has a claim count). */
    public record Inserted(ReservationRecord reservation, List<String> unitIds, Booked booked) {
        public Inserted {
            unitIds = List.copyOf(unitIds);
        }
    }

    /**
     * Inserts new reservations, their bookings and, for those that start at once (they have a claim count), their
     * unit claims, in one statement: a create holds its pool's lock while it writes, so every round trip saved
     * there is saved for every create of the pool, and a group admitted together writes no more statements than
     * one. The unique claim key refuses a unit claimed twice and the booking exclusion constraint a domain booked
     * twice at one instant.
     *
     * <p>For each pool in {@code decidedOnVersions}, the same statement also gives the pool's free set a new
     * version (the deferred triggers would at commit) and answers it if the version this transaction replaced is
     * the one the decisions were made on: then nothing but this transaction changed the pool's free set since. A
     * pool is missing from the answer otherwise, and every pool not asked about is.
     */
    public Map<Long, Long> insertAll(List<Inserted> inserted, Map<Long, Long> decidedOnVersions) {
        int n = inserted.size();
        String[] id = new String[n], name = new String[n], description = new String[n], tags = new String[n],
                organization = new String[n], project = new String[n], region = new String[n],
                accelerator = new String[n], unit = new String[n], pod = new String[n], hash = new String[n],
                observedAt = new String[n], createdBy = new String[n], createdAt = new String[n],
                status = new String[n], message = new String[n], startTime = new String[n], endTime = new String[n];
        Integer[] count = new Integer[n], claimed = new Integer[n];
        Long[] unitType = new Long[n];
        List<String> bookedUnits = new ArrayList<>(), bookedBy = new ArrayList<>(), bookedFrom = new ArrayList<>(),
                bookedUntil = new ArrayList<>(), claimedUnits = new ArrayList<>(), claimedBy = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ReservationRecord r = inserted.get(i).reservation();
            ResourceMetadata m = r.metadata();
            id[i] = m.id();
            name[i] = m.name();
            description[i] = m.description();
            tags[i] = tagsJson(m.tags());
            organization[i] = m.organizationId();
            project[i] = m.projectId();
            region[i] = r.spec().regionId();
            accelerator[i] = r.spec().accelerator();
            unit[i] = r.spec().unit();
            count[i] = r.spec().count();
            unitType[i] = r.unitType().id();
            pod[i] = r.status().podId();
            claimed[i] = r.status().claimedUnitCount();
            hash[i] = r.status().topologyHash();
            observedAt[i] = text(r.status().topologyObservedAt());
            createdBy[i] = m.createdBy();
            createdAt[i] = text(m.creationTime());
            status[i] = r.status().provisioningStatus().value();
            message[i] = r.status().statusMessage();
            startTime[i] = text(r.spec().startTime());
            endTime[i] = text(r.spec().endTime());
            Booked booked = inserted.get(i).booked();
            for (String unitId : inserted.get(i).unitIds()) {
                bookedUnits.add(unitId);
                bookedBy.add(m.id());
                bookedFrom.add(text(booked.from()));
                bookedUntil.add(text(booked.until()));
                if (claimed[i] > 0) {
                    claimedUnits.add(unitId);
                    claimedBy.add(m.id());
                }
            }
        }
        Long[] pools = decidedOnVersions.keySet().toArray(Long[]::new);
        Long[] versions = Arrays.stream(pools).map(decidedOnVersions::get).toArray(Long[]::new);
        Map<Long, Long> taken = new HashMap<>();
        jdbc.sql("""
                        WITH r AS (
                            INSERT INTO reservation (id, name, description, tags, organization_id, project_id,
                                region_id, accelerator, unit, unit_count, unit_type_id, pod_id, claimed_unit_count,
                                topology_hash, topology_observed_at, created_by, creation_time, provisioning_status,
                                status_message, start_time, end_time)
                            SELECT id, name, description, tags::jsonb, organization_id, project_id, region_id,
                                accelerator, unit, unit_count, unit_type_id, pod_id, claimed_unit_count,
                                topology_hash, topology_observed_at, created_by, creation_time, provisioning_status,
                                status_message, start_time, end_time
                            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                                ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[], ?::int[], ?::text[],
                                ?::timestamptz[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::timestamptz[],
                                ?::timestamptz[])
                                AS t(id, name, description, tags, organization_id, project_id, region_id,
                                     accelerator, unit, unit_count, unit_type_id, pod_id, claimed_unit_count,
                                     topology_hash, topology_observed_at, created_by, creation_time,
                                     provisioning_status, status_message, start_time, end_time)
                            RETURNING id),
                        b AS (
                            INSERT INTO unit_booking (domain_id, reservation_id, during)
                            SELECT b.u, r.id, tstzrange(b.f, b.t)
                            FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[]) AS b(u, by, f, t)
                            JOIN r ON r.id = b.by),
                        c AS (
                            INSERT INTO unit_claim (domain_id, reservation_id)
                            SELECT c.u, r.id FROM unnest(?::text[], ?::text[]) AS c(u, by) JOIN r ON r.id = c.by)
                        """ + TAKE_VERSIONS)
                .params(id, name, description, tags, organization, project, region, accelerator, unit, count,
                        unitType, pod, claimed, hash, observedAt, createdBy, createdAt, status, message, startTime,
                        endTime, bookedUnits.toArray(String[]::new), bookedBy.toArray(String[]::new),
                        bookedFrom.toArray(String[]::new), bookedUntil.toArray(String[]::new),
                        claimedUnits.toArray(String[]::new), claimedBy.toArray(String[]::new), pools, versions)
                .query(takenInto(taken))
                .list();
        return taken;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** A booking's span: from {@code from} until {@code until} (its end plus the turnaround), or for ever (null). */
    public record Booked(Instant from, Instant until) {
        public Booked {
            java.util.Objects.requireNonNull(from, "from");
            if (until != null && !until.isAfter(from)) {
                throw new IllegalArgumentException("a booking ends after it starts");
            }
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /**
     * Every unit of a capacity pool that a booking may use (not draining) and every booking on them that has not
     * ended by {@code from}, with which units cannot be used right now (failed hosts, still being handed back,
     * or claimed by a reservation whose booking was cut short while its units are released): the calendar's
     * input. Times are whole seconds; a booking's bounds are rounded outwards.
     */
    public PoolCalendar poolCalendar(long unitTypeId, Instant from) {
        List<PoolUnit> units = jdbc.sql("""
                        SELECT d.id, d.pod_id, d.position,
                               d.unhealthy_hosts > 0
                                 OR EXISTS (SELECT 1 FROM unit_release r WHERE r.domain_id = d.id)
                                 OR EXISTS (SELECT 1 FROM unit_claim c WHERE c.domain_id = d.id) AS busy_now
                        FROM nvlink_domain d JOIN pod p ON p.id = d.pod_id
                        WHERE p.unit_type_id = ? AND NOT d.draining""")
                .param(unitTypeId)
                .query((rs, n) -> new PoolUnit(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)))
                .list();
        List<PoolBooking> bookings = jdbc.sql("""
                        SELECT b.domain_id, b.reservation_id, floor(extract(epoch FROM lower(b.during)))::bigint,
                               CASE WHEN upper_inf(b.during) THEN NULL
                                    ELSE ceil(extract(epoch FROM upper(b.during)))::bigint END
                        FROM unit_booking b JOIN nvlink_domain d ON d.id = b.domain_id JOIN pod p ON p.id = d.pod_id
                        WHERE p.unit_type_id = ? AND (upper_inf(b.during) OR upper(b.during) > ?)""")
                .params(unitTypeId, Timestamp.from(from))
                .query((rs, n) -> new PoolBooking(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getObject(4) == null ? null : rs.getLong(4)))
                .list();
        return new PoolCalendar(units, bookings);
    }

    /**
     * The live reservations with a booking in the pool that overlaps [from, until), with their booked domains: the
     * calendar view's bars. A reservation's span is its own window (start or creation, until its end), not the
     * turnaround after it.
     */
    public List<PoolReservation> bookingsOfPool(long unitTypeId, Instant from, Instant until) {
        Map<String, PoolReservation> found = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT r.id, r.name, r.organization_id, r.project_id, r.pod_id,
                               COALESCE(r.start_time, r.creation_time) AS start_time, r.end_time, b.domain_id
                        FROM reservation r JOIN unit_booking b ON b.reservation_id = r.id
                        WHERE r.unit_type_id = ? AND r.deletion_time IS NULL AND b.during && tstzrange(?, ?)
                        ORDER BY r.id COLLATE "C", b.domain_id COLLATE "C\"""")
                .params(unitTypeId, Timestamp.from(from), Timestamp.from(until))
                .query((rs, n) -> {
                    PoolReservation reservation = found.computeIfAbsent(rs.getString("id"), id -> {
                        try {
                            return new PoolReservation(id, rs.getString("name"), rs.getString("organization_id"),
                                    rs.getString("project_id"), rs.getString("pod_id"),
                                    rs.getTimestamp("start_time").toInstant(),
                                    ResourceMetadata.instant(rs, "end_time"), new ArrayList<>());
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    if (!reservation.unitIds().contains(rs.getString("domain_id"))) {
                        reservation.unitIds().add(rs.getString("domain_id"));
                    }
                    return null;
                })
                .list();
        return List.copyOf(found.values());
    }

    /** A reservation's booking of units of one pod, from {@code start} until {@code end} (null: open-ended). */
    public record PoolReservation(String id, String name, String organizationId, String projectId, String podId,
                                  Instant start, Instant end, List<String> unitIds) implements io.ringfence.resource.Scoped {
    }

    /** A unit of a pool as the calendar sees it; {@code busyNow}: it cannot be taken at this moment. */
    public record PoolUnit(String domainId, String podId, int position, boolean busyNow) {
    }

    /** A booking in epoch seconds; {@code until} null: for ever. */
    public record PoolBooking(String domainId, String reservationId, long from, Long until) {
    }

    public record PoolCalendar(List<PoolUnit> units, List<PoolBooking> bookings) {
    }

    /**
     * Ends a reservation's bookings the turnaround from now: the part of a booking not yet begun is dropped, the
     * rest is cut short. Shrinking never collides with another booking.
     */
    public void endBookings(String reservationId) {
        endBookings(reservationId, null);
    }

    private void endBookings(String reservationId, List<String> domainIds) {
        String domains = domainIds == null ? "" : " AND domain_id = ANY(?)";
        List<Object> params = new ArrayList<>(List.of(reservationId, turnaround.toMillis()));
        if (domainIds != null) {
            params.add(domainIds.toArray(String[]::new));
        }
        jdbc.sql("DELETE FROM unit_booking WHERE reservation_id = ? "
                        + "AND lower(during) >= now() + ? * interval '1 millisecond'" + domains)
                .params(params).update();
        jdbc.sql("""
                        UPDATE unit_booking SET during = tstzrange(lower(during), now() + ? * interval '1 millisecond')
                        WHERE reservation_id = ? AND (upper_inf(during) OR upper(during) > now() + ? * interval '1 millisecond')"""
                        + domains)
                .params(domainIds == null
                        ? List.of(turnaround.toMillis(), reservationId, turnaround.toMillis())
                        : List.of(turnaround.toMillis(), reservationId, turnaround.toMillis(),
                                domainIds.toArray(String[]::new)))
                .update();
    }

    /** The domains a reservation has booked, with their pod, position and health, in domain ID order. */
    public List<BookedUnit> bookedUnits(String reservationId) {
        return jdbc.sql("""
                        SELECT b.domain_id, d.pod_id, d.position, d.unhealthy_hosts > 0 OR d.draining,
                               EXISTS (SELECT 1 FROM unit_claim c WHERE c.domain_id = b.domain_id AND c.reservation_id <> b.reservation_id)
                                 OR EXISTS (SELECT 1 FROM unit_release r WHERE r.domain_id = b.domain_id)
                        FROM unit_booking b JOIN nvlink_domain d ON d.id = b.domain_id
                        WHERE b.reservation_id = ?
                        ORDER BY b.domain_id COLLATE "C\"""")
                .param(reservationId)
                .query((rs, n) -> new BookedUnit(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4),
                        rs.getBoolean(5)))
                .list();
    }

    /** A booked domain: {@code unusable} if it has failed hosts or drains; {@code stillHeld} by its last tenant. */
    public record BookedUnit(String domainId, String podId, int position, boolean unusable, boolean stillHeld) {
    }

    /**
     * Healthy, undrained domains of the pod free over the rest of the reservation's booking (from now until its
     * booking's end): the candidates to stand in for a booked or claimed domain that failed.
     */
    public List<FreeUnit> spareUnitsFor(String reservationId, String podId) {
        return jdbc.sql("""
                        SELECT d.id, d.pod_id, d.position FROM nvlink_domain d
                        WHERE d.pod_id = ? AND d.unhealthy_hosts = 0 AND NOT d.draining
                          AND NOT EXISTS (SELECT 1 FROM unit_claim c WHERE c.domain_id = d.id)
                          AND NOT EXISTS (SELECT 1 FROM unit_release r WHERE r.domain_id = d.id)
                          AND NOT EXISTS (SELECT 1 FROM unit_booking b WHERE b.domain_id = d.id AND b.during &&
                                tstzrange(now(), (SELECT max(upper(o.during)) FROM unit_booking o WHERE o.reservation_id = ?
                                                  HAVING bool_and(NOT upper_inf(o.during)))))
                        ORDER BY d.position""")
                .params(podId, reservationId)
                .query((rs, n) -> new FreeUnit(rs.getString(1), rs.getString(2), rs.getInt(3)))
                .list();
    }

    /** Moves a booking not yet begun from one domain to another (a booked domain failed before the start). */
    public void moveBooking(String reservationId, String fromDomain, String toDomain) {
        jdbc.sql("UPDATE unit_booking SET domain_id = ? WHERE reservation_id = ? AND domain_id = ?")
                .params(toDomain, reservationId, fromDomain).update();
    }

    /**
     * Starts a booked reservation: claims its booked domains and records the claim's hash. Its bookings begin now
     * (or began already).
     */
    public void claimBooked(String reservationId, String hash) {
        int claimed = jdbc.sql("INSERT INTO unit_claim (domain_id, reservation_id) "
                        + "SELECT DISTINCT domain_id, reservation_id FROM unit_booking WHERE reservation_id = ?")
                .param(reservationId).update();
        jdbc.sql("""
                        UPDATE reservation SET claimed_unit_count = ?, topology_hash = ?, topology_observed_at = now(),
                            status_message = NULL
                        WHERE id = ?""")
                .params(claimed, hash, reservationId).update();
    }

    /** Sets a new end and moves every booking's end to it plus the turnaround; the exclusion constraint may refuse. */
    public void extend(String reservationId, Instant endTime) {
        jdbc.sql("UPDATE reservation SET end_time = ? WHERE id = ?").params(Timestamp.from(endTime), reservationId)
                .update();
        jdbc.sql("UPDATE unit_booking SET during = tstzrange(lower(during), ?) WHERE reservation_id = ?")
                .params(Timestamp.from(endTime.plus(turnaround)), reservationId).update();
    }

    /** The earliest start of another reservation's booking on this reservation's domains, after its own begin. */
    public Optional<Instant> nextBookingOnItsUnits(String reservationId) {
        return jdbc.sql("""
                        SELECT min(lower(o.during)) FROM unit_booking b JOIN unit_booking o
                          ON o.domain_id = b.domain_id AND o.reservation_id <> b.reservation_id
                         AND lower(o.during) >= lower(b.during)
                        WHERE b.reservation_id = ?""")
                .param(reservationId).query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant))
                .single();
    }

    /** Marks a reservation for deletion; returns false if it was already being deleted. */
    public boolean markDeleting(String id) {
        return jdbc.sql("""
                        UPDATE reservation SET deletion_time = now(), provisioning_status = 'deprovisioning'
                        WHERE id = ? AND deletion_time IS NULL""")
                .param(id).update() == 1;
    }

    /** {@link #transition(String, ProvisioningStatus, String)} of several reservations, clearing their messages. */
    public void transition(List<String> ids, ProvisioningStatus next) {
        if (ids.isEmpty()) {
            return;
        }
        String status = next.value();
        jdbc.sql("""
                        UPDATE reservation SET provisioning_status = ?, status_message = NULL,
                            topology_observed_at = CASE WHEN ? = 'provisioned' THEN now() ELSE topology_observed_at END
                        WHERE id = ANY(?) AND deletion_time IS NULL AND provisioning_status <> ?""")
                .params(status, status, ids.toArray(String[]::new), status).update();
    }

    /** Moves a live reservation to {@code status}, unless it is being deleted or already in {@code status}. */
    public boolean transition(String id, ProvisioningStatus next, String message) {
        String status = next.value();
        return jdbc.sql("""
                        UPDATE reservation SET provisioning_status = ?, status_message = ?,
                            topology_observed_at = CASE WHEN ? = 'provisioned' THEN now() ELSE topology_observed_at END
                        WHERE id = ? AND deletion_time IS NULL AND provisioning_status <> ?""")
                .params(status, message, status, id, status).update() == 1;
    }

    /** The units a reservation holds, in domain ID order, with their hosts and health. */
    public List<ClaimedUnit> claimedUnitStates(String reservationId) {
        return claimedUnitStates(List.of(reservationId)).getOrDefault(reservationId, List.of());
    }

    /** {@link #claimedUnitStates(String)} of several reservations in one query, by reservation ID. */
    public Map<String, List<ClaimedUnit>> claimedUnitStates(List<String> reservationIds) {
        record Row(String reservationId, ClaimedUnit unit, String host) {
        }
        List<Row> rows = jdbc.sql("""
                        SELECT c.reservation_id, c.domain_id, d.name, d.pod_id, d.position, c.prepared,
                               d.unhealthy_hosts, h.infrastructure_ref
                        FROM unit_claim c JOIN nvlink_domain d ON d.id = c.domain_id JOIN host h ON h.domain_id = d.id
                        WHERE c.reservation_id = ANY(?)
                        ORDER BY c.reservation_id, c.domain_id COLLATE "C", h.infrastructure_ref COLLATE "C\"""")
                .param(reservationIds.toArray(String[]::new))
                .query((rs, n) -> new Row(rs.getString(1), new ClaimedUnit(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getInt(5), rs.getBoolean(6), rs.getInt(7), List.of()), rs.getString(8)))
                .list();
        Map<String, List<ClaimedUnit>> result = new HashMap<>();
        int i = 0;
        while (i < rows.size()) {
            Row first = rows.get(i);
            List<String> hosts = new ArrayList<>();
            while (i < rows.size() && rows.get(i).reservationId().equals(first.reservationId())
                    && rows.get(i).unit().domainId().equals(first.unit().domainId())) {
                hosts.add(rows.get(i).host());
                i++;
            }
            ClaimedUnit unit = first.unit();
            result.computeIfAbsent(first.reservationId(), k -> new ArrayList<>()).add(new ClaimedUnit(unit.domainId(),
                    unit.domainName(), unit.podId(), unit.position(), unit.prepared(), unit.unhealthyHosts(), hosts));
        }
        return result;
    }

    /** One unit claimed by one reservation. */
    public record ClaimOf(String reservationId, String domainId) {
    }

    /** Records the platform's preparation of claimed units. */
    public void markPrepared(List<ClaimOf> claims) {
        if (claims.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE unit_claim c SET prepared = true
                        FROM unnest(?::text[], ?::text[]) AS p(reservation_id, domain_id)
                        WHERE c.reservation_id = p.reservation_id AND c.domain_id = p.domain_id""")
                .params(claims.stream().map(ClaimOf::reservationId).toArray(String[]::new),
                        claims.stream().map(ClaimOf::domainId).toArray(String[]::new))
                .update();
    }

    /** Locks a live reservation's row; false if it is gone or being deleted. */
    public boolean lockBooked(String id) {
        return jdbc.sql("SELECT id FROM reservation WHERE id = ? AND deletion_time IS NULL FOR UPDATE")
                .param(id).query(String.class).optional().isPresent();
    }

    /** Locks the reservation row for a change of its claim; its hash (empty before its start), or empty if gone. */
    public Optional<String> lockForClaimChange(String id) {
        return jdbc.sql("SELECT COALESCE(topology_hash, '') FROM reservation WHERE id = ? AND deletion_time IS NULL "
                        + "FOR UPDATE")
                .param(id).query(String.class).optional();
    }

    /**
     * Like {@link #lockForClaimChange} but waits at most {@code patience} for another transaction changing the
     * claim (a reconciler pass finishing, say); then fails with PostgreSQL's {@code lock_not_available}.
     */
    public Optional<String> lockForClaimChangeWithin(String id, Duration patience) {
        jdbc.sql("SELECT set_config('lock_timeout', ?, true)").param(patience.toMillis() + "ms")
                .query(String.class).single();
        Optional<String> hash = jdbc.sql(
                        "SELECT COALESCE(topology_hash, '') FROM reservation WHERE id = ? AND deletion_time IS NULL FOR UPDATE")
                .param(id).query(String.class).optional();
        jdbc.sql("SELECT set_config('lock_timeout', '0', true)").query(String.class).single();
        return hash;
    }

    /** Moves the claim from one unit to another and records the new claim version. */
    public void swapClaim(String reservationId, String failedDomain, String spareDomain, String newHash) {
        jdbc.sql("DELETE FROM unit_claim WHERE reservation_id = ? AND domain_id = ?")
                .params(reservationId, failedDomain).update();
        jdbc.sql("INSERT INTO unit_claim (domain_id, reservation_id) VALUES (?, ?)")
                .params(spareDomain, reservationId).update();
        // the spare is booked from now for the rest of the window; the failed unit's booking ends now
        jdbc.sql("""
                        INSERT INTO unit_booking (domain_id, reservation_id, during)
                        SELECT ?, reservation_id, tstzrange(now(), upper(during)) FROM unit_booking
                        WHERE reservation_id = ? AND domain_id = ?""")
                .params(spareDomain, reservationId, failedDomain).update();
        endBookings(reservationId, List.of(failedDomain));
        queueUnitRelease(reservationId, List.of(failedDomain));
        jdbc.sql("UPDATE reservation SET topology_hash = ?, topology_observed_at = now() WHERE id = ?")
                .params(newHash, reservationId).update();
    }

    /** Gives up units for good: the claim count drops and never rises again. */
    public void releaseClaims(String reservationId, List<String> domainIds, String newHash) {
        int released = jdbc.sql("DELETE FROM unit_claim WHERE reservation_id = ? AND domain_id = ANY(?)")
                .params(reservationId, domainIds.toArray(String[]::new)).update();
        endBookings(reservationId, domainIds);
        queueUnitRelease(reservationId, domainIds);
        jdbc.sql("""
                        UPDATE reservation SET claimed_unit_count = claimed_unit_count - ?, topology_hash = ?,
                            topology_observed_at = now()
                        WHERE id = ?""")
                .params(released, newHash, reservationId).update();
    }

    private void queueUnitRelease(String reservationId, List<String> domainIds) {
        jdbc.sql("""
                        INSERT INTO unit_release (domain_id, reservation_id) SELECT unnest(?::text[]), ?
                        ON CONFLICT (domain_id) DO UPDATE SET reservation_id = excluded.reservation_id,
                            requested_at = now()""")
                .params(domainIds.toArray(String[]::new), reservationId).update();
    }

    public void setHealthNote(String id, String note) {
        jdbc.sql("UPDATE reservation SET health_note = ? WHERE id = ? AND health_note IS DISTINCT FROM ?")
                .params(note, id, note).update();
    }

    public void touchObserved(List<String> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE reservation SET topology_observed_at = now() WHERE id = ANY(?)")
                    .param(ids.toArray(String[]::new)).update();
        }
    }

    /** Records why a pass is waiting, shown to the owner until the next transition. */
    public void setStatusMessage(String id, String message) {
        jdbc.sql("UPDATE reservation SET status_message = ? WHERE id = ? AND status_message IS DISTINCT FROM ?")
                .params(message, id, message).update();
    }

    /** {@link #setStatusMessage} of several reservations in one statement, by ID. */
    public void setStatusMessages(Map<String, String> messages) {
        if (messages.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE reservation r SET status_message = m.message
                        FROM unnest(?::text[], ?::text[]) AS m(id, message)
                        WHERE r.id = m.id AND r.status_message IS DISTINCT FROM m.message""")
                .params(messages.keySet().toArray(String[]::new), messages.values().toArray(String[]::new))
                .update();
    }

    /** Removes a reservation and, with it, its claims: the units are free again. */
    public void delete(List<String> ids) {
        jdbc.sql("DELETE FROM reservation WHERE id = ANY(?)").param(ids.toArray(String[]::new)).update();
    }

    private ReservationRecord map(ResultSet rs, int row) throws SQLException {
        long unitTypeId = rs.getLong("unit_type_id");
        UnitType unitType = fleet.unitType(unitTypeId)
                .orElseThrow(() -> new IllegalStateException("reservation of unknown unit type " + unitTypeId));
        return new ReservationRecord(ResourceMetadata.read(rs, json),
                new ReservationRecord.Spec(rs.getString("region_id"), rs.getString("accelerator"),
                        rs.getString("unit"), rs.getInt("unit_count"), ResourceMetadata.instant(rs, "start_time"),
                        ResourceMetadata.instant(rs, "end_time")),
                new ReservationRecord.Status(ProvisioningStatus.fromValue(rs.getString("provisioning_status")),
                        rs.getString("status_message"), rs.getString("pod_id"), rs.getInt("claimed_unit_count"),
                        rs.getString("topology_hash"), ResourceMetadata.instant(rs, "topology_observed_at"),
                        rs.getInt("hosts_down"), rs.getString("health_note")),
                unitType);
    }
}
