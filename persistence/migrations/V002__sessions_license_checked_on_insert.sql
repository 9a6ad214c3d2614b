-- A new session's license is checked by the statement that inserts it: the record store, the
-- only writer of sessions, joins each new row to its license (tenant_id, id) and gives a row
-- without one no license id, which NOT NULL refuses (persistence/record_sql.cpp). The foreign
-- key checked the same through a trigger per row, about a fifth of PostgreSQL's time when
-- seats are acquired in bulk. Licenses are never deleted, only cancelled.
ALTER TABLE sessions DROP CONSTRAINT sessions_tenant_id_license_id_fkey;
