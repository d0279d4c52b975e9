-- Self-service terminals (issue 4); see the PostgreSQL file for the reasoning.
CREATE TABLE kiosk_terminals (
    tenant_id   blob NOT NULL REFERENCES tenants (id),
    id          blob NOT NULL,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX kiosk_terminals_token ON kiosk_terminals (tenant_id, token_hash);

ALTER TABLE auth_sessions ADD COLUMN idle_timeout_seconds INTEGER;
