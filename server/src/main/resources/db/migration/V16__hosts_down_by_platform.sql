-- The platform reports the hosts it sees failed; every other host is healthy as far as it knows. Applying a report
-- touches only the hosts it names and the hosts the platform reported down before (this index), instead of
-- comparing every host of the fleet with the report: tens of thousands of rows every few seconds.
CREATE INDEX host_down_by_platform ON host (infrastructure_ref) WHERE NOT provider_healthy;
