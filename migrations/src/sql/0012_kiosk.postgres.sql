-- Self-service terminals (issue 4). A tenant admin registers a terminal; the terminal's URL
-- carries a secret whose hash is kept here, and visiting it puts that browser into kiosk mode.
-- Revoking a terminal ends kiosk mode for its URL and cookie at once.
CREATE TABLE kiosk_terminals (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    id          uuid NOT NULL,
    name        text NOT NULL,
    token_hash  text NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX kiosk_terminals_token ON kiosk_terminals (tenant_id, token_hash);

-- A session with an inactivity limit (kiosk sign-ins): every request moves `expires_at` to
-- now + this many seconds, so a session left alone ends on the server, whatever the browser does.
ALTER TABLE auth_sessions ADD COLUMN idle_timeout_seconds integer;

ALTER TABLE kiosk_terminals ENABLE ROW LEVEL SECURITY;
ALTER TABLE kiosk_terminals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON kiosk_terminals
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
