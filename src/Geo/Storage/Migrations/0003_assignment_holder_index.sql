-- "Who holds this role on this object now": the map rates every shaft of a tile by its current responsible
-- person. The exclusion constraint's GiST index answers that too, but about ten times slower per probe than a
-- btree; with this index the look-up is an index-only scan.
CREATE INDEX assignment_holder_idx ON assignment (object_kind, object_id, role, valid_from) INCLUDE (valid_to);
