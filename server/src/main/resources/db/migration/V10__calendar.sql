-- Reservations in time. A reservation may start later and end at a set time; its units are booked for that
-- window (plus the platform's turnaround) on a calendar of NVLink domains.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE reservation
    ADD COLUMN start_time timestamptz,   -- as asked (to the second); null: it started at creation
    ADD COLUMN end_time   timestamptz,   -- null: open-ended
    ALTER COLUMN topology_hash DROP NOT NULL,          -- a booking made for later has no claim, hence no hash,
    ALTER COLUMN topology_observed_at DROP NOT NULL;   -- until it starts

-- A domain is booked by at most one reservation at any instant: the exclusion constraint makes two
-- overlapping bookings of one domain impossible, whatever the code above it does. An open-ended booking has
-- no upper bound, so it holds its domain for ever.
CREATE TABLE unit_booking (
    domain_id      text      NOT NULL REFERENCES nvlink_domain (id),
    reservation_id text      NOT NULL REFERENCES reservation (id) ON DELETE CASCADE,
    during         tstzrange NOT NULL CHECK (NOT isempty(during) AND NOT lower_inf(during)),
    CONSTRAINT unit_booking_no_overlap EXCLUDE USING gist (domain_id WITH =, during WITH &&)
);

-- A reservation may book one domain twice over disjoint spans: a unit swapped out for a failed one and swapped
-- back in once healthy.
CREATE INDEX unit_booking_reservation ON unit_booking (reservation_id);

-- Every reservation that holds units today holds them from its creation, open-ended.
INSERT INTO unit_booking (domain_id, reservation_id, during)
SELECT c.domain_id, c.reservation_id, tstzrange(r.creation_time, NULL)
FROM unit_claim c JOIN reservation r ON r.id = c.reservation_id
WHERE r.deletion_time IS NULL;
