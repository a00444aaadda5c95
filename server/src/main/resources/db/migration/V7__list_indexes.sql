-- Lists filter by tags (all given tags must be present) and by region; keep both off sequential scans.
CREATE INDEX reservation_tags ON reservation USING gin (tags jsonb_path_ops);
CREATE INDEX reservation_region ON reservation (region_id);
CREATE INDEX placement_tags ON placement USING gin (tags jsonb_path_ops);
CREATE INDEX unit_claim_domain_reservation ON unit_claim (reservation_id, domain_id);
