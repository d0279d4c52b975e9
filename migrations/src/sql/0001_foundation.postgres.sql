-- Platform tables: no tenant_id, no case data. See PLATFORM_TABLES.

CREATE TABLE tenants (
    id                 uuid PRIMARY KEY,
    slug               text NOT NULL UNIQUE,
    name               text NOT NULL,
    kind               text NOT NULL,
    carrier            text NOT NULL,
    regierungsbezirk   text,
    ags                text,
    kreisschluessel    text,
    abh_kennung        text,
    behoerdenkennzahl  text,
    vendor             text NOT NULL,
    contact_email      text,
    contact_phone      text,
    contact_website    text,
    lifecycle          text NOT NULL,
    pilot              boolean NOT NULL DEFAULT false,
    confirmed          boolean NOT NULL DEFAULT false,
    delegated_to       text,
    source             text,
    notes              text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- Sign-in must find an account before the tenant is known; this is the only cross-tenant lookup.
CREATE TABLE login_directory (
    email      text PRIMARY KEY,
    tenant_id  uuid REFERENCES tenants (id),
    user_id    uuid NOT NULL
);

CREATE TABLE auth_sessions (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL,
    tenant_id     uuid REFERENCES tenants (id),
    token_hash    text NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    last_used_at  timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE applicant_accounts (
    id                  uuid PRIMARY KEY,
    email               text NOT NULL UNIQUE,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    language            text NOT NULL,
    email_confirmed_at  timestamptz,
    confirm_token_hash  text UNIQUE,
    created_at          timestamptz NOT NULL
);

-- Durable jobs. Payloads hold identifiers only, never personal data; the work itself runs in a
-- tenant transaction.
CREATE TABLE job_queue (
    id            uuid PRIMARY KEY,
    tenant_id     uuid,
    kind          text NOT NULL,
    payload       text NOT NULL,
    state         text NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL DEFAULT 5,
    run_after     timestamptz NOT NULL,
    locked_until  timestamptz,
    locked_by     text,
    progress      double precision NOT NULL DEFAULT 0,
    last_error    text,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX job_queue_ready ON job_queue (state, run_after);

CREATE TABLE mail_outbox (
    id          uuid PRIMARY KEY,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body_text   text NOT NULL,
    body_html   text,
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz
);

-- Tenant-owned tables: tenant_id leads every key; row-level security below.

CREATE TABLE users (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    email            text NOT NULL,
    display_name     text NOT NULL,
    role             text NOT NULL,
    status           text NOT NULL,
    password_hash    text,
    totp_secret      text,
    totp_enabled_at  timestamptz,
    totp_last_step   bigint,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);

CREATE TABLE recovery_codes (
    tenant_id  uuid NOT NULL,
    id         uuid NOT NULL,
    user_id    uuid NOT NULL,
    code_hash  text NOT NULL,
    used_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE invitations (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    id           uuid NOT NULL,
    email        text NOT NULL,
    role         text NOT NULL,
    token_hash   text NOT NULL,
    invited_by   uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (tenant_id, token_hash);

-- One chain per tenant; the nil UUID is the platform's own chain (operator events).
CREATE TABLE audit_heads (
    tenant_id  uuid PRIMARY KEY,
    last_seq   bigint NOT NULL,
    last_hash  text NOT NULL
);

CREATE TABLE audit_log (
    tenant_id    uuid NOT NULL,
    seq          bigint NOT NULL,
    at           timestamptz NOT NULL,
    actor        text NOT NULL,
    action       text NOT NULL,
    object_type  text NOT NULL,
    object_id    text NOT NULL,
    source       text NOT NULL,
    details      text NOT NULL,
    prev_hash    text NOT NULL,
    hash         text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'recovery_codes', 'invitations', 'audit_heads', 'audit_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I '
            'USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid) '
            'WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
END
$$;
