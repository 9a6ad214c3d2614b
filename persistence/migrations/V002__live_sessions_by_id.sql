-- Writers find a live session by (tenant_id, id) while joining a batch of records against
-- sessions; with only tenant_id in the live index the planner may pick it and then scan every
-- live session of the tenant per record. Keyed on both, either index finds the one row.
DROP INDEX sessions_live;
CREATE INDEX sessions_live ON sessions (tenant_id, id) WHERE ended_at IS NULL;
