-- Lists answer in id order as Java compares strings (ORDER BY id COLLATE "C"), which the primary key (default
-- collation) cannot give: a list of 10,000 reservations was sorted on every call, and at ~5 MB of rows the sort
-- spilled to disk (external merge) and was about half of the query. In this order the rows come off the index.
CREATE INDEX reservation_list_order ON reservation (id COLLATE "C");
