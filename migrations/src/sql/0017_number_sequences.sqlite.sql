-- Gap-free numbering of a tenant's persons and cases; see the PostgreSQL file for the reasoning.
CREATE TABLE number_sequences (
    tenant_id  blob NOT NULL REFERENCES tenants (id),
    name       TEXT NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- SQLite's CAST reads the leading digits and gives 0 for none.
INSERT INTO number_sequences (tenant_id, name, value)
SELECT tenant_id, 'persons',
       max(count(*), coalesce(max(CAST(substr(file_number, instr(file_number, '-') + 1) AS INTEGER)), 0))
FROM persons GROUP BY tenant_id;
INSERT INTO number_sequences (tenant_id, name, value)
SELECT tenant_id, 'cases',
       max(count(*), coalesce(max(CAST(substr(reference, instr(reference, '-') + 1) AS INTEGER)), 0))
FROM cases GROUP BY tenant_id;
