-- A list answers in id order (ORDER BY id COLLATE "C") within what its caller may read: nearly always one
-- organization, often one project. From these indexes the rows of one organization, or of one of its projects,
-- come in answer order, so such a list needs no sort and reads no other tenant's rows. V15's index held every
-- organization's ids, so it gave the order only by walking all of them, and PostgreSQL preferred to sort: for a
-- list of 10,000 the sort was about half of the query. The second index replaces V2's scope index, whose
-- (organization_id, project_id) prefix it keeps.
DROP INDEX reservation_list_order;
DROP INDEX reservation_scope;
CREATE INDEX reservation_organization_order ON reservation (organization_id, id COLLATE "C");
CREATE INDEX reservation_scope ON reservation (organization_id, project_id, id COLLATE "C");
