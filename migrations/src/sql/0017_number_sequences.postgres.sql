-- Gap-free numbering of a tenant's persons (Aktenzeichen der Ausländerakte) and cases. Numbers used
-- to be `count(*) + 1`: two transactions creating at once got the same number (one failed on the
-- unique constraint), and the count read the whole table, which grows to millions of rows. The
-- counter row is locked by the upsert until the creating transaction commits; a rollback gives
-- the number back.
CREATE TABLE number_sequences (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    name       text NOT NULL,
    value      bigint NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- Continue after the highest number in use (the digits after the last '-'), or the count where
-- numbers do not follow that pattern.
INSERT INTO number_sequences (tenant_id, name, value)
SELECT tenant_id, 'persons',
       greatest(count(*), coalesce(max(substring(file_number from '-([0-9]{1,15})$')::bigint), 0))
FROM persons GROUP BY tenant_id;
INSERT INTO number_sequences (tenant_id, name, value)
SELECT tenant_id, 'cases',
       greatest(count(*), coalesce(max(substring(reference from '-([0-9]{1,15})$')::bigint), 0))
FROM cases GROUP BY tenant_id;

ALTER TABLE number_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE number_sequences FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON number_sequences
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
