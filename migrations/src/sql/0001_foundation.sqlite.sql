-- The embedded default: same tables, no row-level security (the tenant filter in every query is the
-- only wall here; SQLite serves one person trying the platform, never production).

CREATE TABLE tenants (
    id                 blob PRIMARY KEY,
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
    pilot              boolean NOT NULL DEFAULT 0,
    confirmed          boolean NOT NULL DEFAULT 0,
    delegated_to       text,
    source             text,
    notes              text,
    created_at         text NOT NULL,
    updated_at         text NOT NULL
);

CREATE TABLE login_directory (
    email      text PRIMARY KEY,
    tenant_id  blob REFERENCES tenants (id),
    user_id    blob NOT NULL
);

CREATE TABLE auth_sessions (
    id            blob PRIMARY KEY,
    user_id       blob NOT NULL,
    tenant_id     blob REFERENCES tenants (id),
    token_hash    text NOT NULL UNIQUE,
    created_at    text NOT NULL,
    expires_at    text NOT NULL,
    last_used_at  text NOT NULL,
    revoked_at    text
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE applicant_accounts (
    id                  blob PRIMARY KEY,
    email               text NOT NULL UNIQUE,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    language            text NOT NULL,
    email_confirmed_at  text,
    confirm_token_hash  text UNIQUE,
    created_at          text NOT NULL
);

CREATE TABLE job_queue (
    id            blob PRIMARY KEY,
    tenant_id     blob,
    kind          text NOT NULL,
    payload       text NOT NULL,
    state         text NOT NULL,
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL DEFAULT 5,
    run_after     text NOT NULL,
    locked_until  text,
    locked_by     text,
    progress      real NOT NULL DEFAULT 0,
    last_error    text,
    created_at    text NOT NULL,
    updated_at    text NOT NULL
);
CREATE INDEX job_queue_ready ON job_queue (state, run_after);

CREATE TABLE mail_outbox (
    id          blob PRIMARY KEY,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body_text   text NOT NULL,
    body_html   text,
    created_at  text NOT NULL,
    sent_at     text
);

CREATE TABLE users (
    tenant_id        blob NOT NULL REFERENCES tenants (id),
    id               blob NOT NULL,
    email            text NOT NULL,
    display_name     text NOT NULL,
    role             text NOT NULL,
    status           text NOT NULL,
    password_hash    text,
    totp_secret      text,
    totp_enabled_at  text,
    totp_last_step   bigint,
    created_at       text NOT NULL,
    updated_at       text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);

CREATE TABLE recovery_codes (
    tenant_id  blob NOT NULL,
    id         blob NOT NULL,
    user_id    blob NOT NULL,
    code_hash  text NOT NULL,
    used_at    text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE invitations (
    tenant_id    blob NOT NULL REFERENCES tenants (id),
    id           blob NOT NULL,
    email        text NOT NULL,
    role         text NOT NULL,
    token_hash   text NOT NULL,
    invited_by   blob NOT NULL,
    created_at   text NOT NULL,
    expires_at   text NOT NULL,
    accepted_at  text,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX invitations_token ON invitations (tenant_id, token_hash);

CREATE TABLE audit_heads (
    tenant_id  blob PRIMARY KEY,
    last_seq   integer NOT NULL,
    last_hash  text NOT NULL
);

CREATE TABLE audit_log (
    tenant_id    blob NOT NULL,
    seq          integer NOT NULL,
    at           text NOT NULL,
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
