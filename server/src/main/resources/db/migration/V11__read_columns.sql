-- Reads of reservations count the hosts down by joining the unhealthy units only; nearly every unit is healthy,
-- so this index holds few rows, and changes only when a unit's health does (never on a reservation's create).
CREATE INDEX nvlink_domain_unhealthy ON nvlink_domain (id) INCLUDE (unhealthy_hosts) WHERE unhealthy_hosts > 0;
