-- Every create inserts a reservation, its booking and its claims, a work item and platform operations; the
-- reconciler updates the operations and deletes the item within a second; every delete removes the rows again. At
-- 600 creates/s that leaves thousands of dead row versions a second, and with PostgreSQL's defaults (vacuum once a
-- fifth of the table is dead, throttled) they piled up to 30,000-80,000 per table within a minute of load: the
-- reconciler's claims and lookups walked them, and creates fell from about 560/s to 200/s within a 30 s phase of the
-- load tool, recovering only when a vacuum came. Vacuumed after a fixed number of dead rows and unthrottled (the
-- tables hold what is in flight, so each vacuum is short), they stay under about 6,000. The embedded PostgreSQL also
-- looks for such tables every 5 s rather than every minute (EmbeddedPostgresConfiguration); an external one should
-- set autovacuum_naptime likewise (README).
ALTER TABLE work_item SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000,
                           autovacuum_vacuum_cost_delay = 0);
ALTER TABLE pool_free_version SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500,
                                   autovacuum_vacuum_cost_delay = 0);
ALTER TABLE platform_operation SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 2000,
                                    autovacuum_vacuum_cost_delay = 0);
ALTER TABLE reservation SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 2000,
                             autovacuum_vacuum_cost_delay = 0);
ALTER TABLE unit_claim SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 2000,
                            autovacuum_vacuum_cost_delay = 0);
ALTER TABLE unit_booking SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 2000,
                              autovacuum_vacuum_cost_delay = 0);
