-- unit_claim (reservation_id) is the prefix of unit_claim_domain_reservation (reservation_id, domain_id), which
-- answers every lookup by reservation as well; keeping both cost every claim written or removed an index entry
-- more.
DROP INDEX unit_claim_reservation;
