-- SQLite twin of 0003_rollout.postgres.sql: same tables, no row-level security.

CREATE TABLE rollout_funds (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    total_cents      integer NOT NULL,
    usable_until     text,
    budget_reference text NOT NULL
);

INSERT INTO rollout_funds (id, name, total_cents, usable_until, budget_reference) VALUES
    ('federal_lump_sum', 'Fachbezogene Pauschale (Bundesmittel)', 5000000000, '2025-12-31', '§ 29 Haushaltsgesetz'),
    ('state_budget', 'Landesmittel', 900000000, NULL, 'Einzelplan 08 Titelgruppe 75'),
    ('municipal_budget', 'Kommunaler Haushalt', 0, NULL, 'Haushalt der Kommune');

CREATE TABLE rollout_allocations (
    tenant_id     blob NOT NULL REFERENCES tenants (id),
    fund_id       text NOT NULL REFERENCES rollout_funds (id),
    amount_cents  integer NOT NULL,
    basis         text NOT NULL,
    PRIMARY KEY (tenant_id, fund_id)
);

CREATE TABLE sina_surveys (
    id          blob PRIMARY KEY,
    title       text NOT NULL,
    opened_at   text NOT NULL,
    closes_on   text NOT NULL,
    closed_at   text
);

CREATE TABLE rollout_checklist (
    tenant_id  blob NOT NULL REFERENCES tenants (id),
    item       text NOT NULL,
    done       boolean NOT NULL DEFAULT 0,
    note       text NOT NULL DEFAULT '',
    updated_by blob,
    updated_at text NOT NULL,
    PRIMARY KEY (tenant_id, item)
);

CREATE TABLE efa_subscriptions (
    tenant_id     blob NOT NULL REFERENCES tenants (id),
    service       text NOT NULL,
    status        text NOT NULL,
    committed_on  text,
    connected_on  text,
    payer         text NOT NULL,
    note          text NOT NULL DEFAULT '',
    updated_at    text NOT NULL,
    PRIMARY KEY (tenant_id, service)
);

CREATE TABLE devices (
    tenant_id               blob NOT NULL REFERENCES tenants (id),
    id                      blob NOT NULL,
    kind                    text NOT NULL,
    serial                  text NOT NULL,
    state                   text NOT NULL,
    certificate_expires_on  text,
    smartcard_expires_on    text,
    software_version        text NOT NULL DEFAULT '',
    cost_cents              integer NOT NULL DEFAULT 0,
    payer                   text NOT NULL,
    last_heartbeat_at       text,
    reported_state          text NOT NULL DEFAULT '',
    created_at              text NOT NULL,
    updated_at              text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, serial)
);

CREATE TABLE cost_ledger (
    tenant_id       blob NOT NULL REFERENCES tenants (id),
    id              blob NOT NULL,
    service         text,
    device_id       blob,
    kind            text NOT NULL,
    status          text NOT NULL,
    amount_cents    integer NOT NULL,
    payer           text NOT NULL,
    funding_source  text NOT NULL,
    period_start    text NOT NULL,
    period_end      text NOT NULL,
    document_ref    text NOT NULL DEFAULT '',
    created_at      text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id)
);
CREATE INDEX cost_ledger_fund ON cost_ledger (funding_source, period_start);

CREATE TABLE device_heartbeats (
    tenant_id         blob NOT NULL,
    id                blob NOT NULL,
    device_id         blob NOT NULL,
    at                text NOT NULL,
    software_version  text NOT NULL,
    state             text NOT NULL,
    queued_records    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE sina_answers (
    tenant_id        blob NOT NULL REFERENCES tenants (id),
    survey_id        blob NOT NULL REFERENCES sina_surveys (id),
    requested        integer NOT NULL,
    justification    text NOT NULL DEFAULT '',
    answered_at      text NOT NULL,
    approved         integer,
    approved_at      text,
    PRIMARY KEY (tenant_id, survey_id)
);

CREATE TABLE digitalization_surveys (
    tenant_id        blob NOT NULL REFERENCES tenants (id),
    id               blob NOT NULL,
    surveyed_on      text NOT NULL,
    service          text NOT NULL,
    vendor           text NOT NULL,
    dms              boolean NOT NULL,
    scanning         boolean NOT NULL,
    efile_share_pct  integer NOT NULL,
    online_services  integer NOT NULL,
    level_ozg        integer NOT NULL,
    level_2025       integer NOT NULL,
    created_at       text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Personal data and secrets: own tenant only.

CREATE TABLE device_credentials (
    tenant_id     blob NOT NULL,
    id            blob NOT NULL,
    device_id     blob NOT NULL,
    secret_hash   text NOT NULL,
    created_at    text NOT NULL,
    expires_at    text NOT NULL,
    revoked_at    text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE tenant_data_keys (
    tenant_id      blob NOT NULL REFERENCES tenants (id),
    version        integer NOT NULL,
    master_key_id  text NOT NULL,
    wrapped_key    text NOT NULL,
    created_at     text NOT NULL,
    retired_at     text,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE rollout_persons (
    tenant_id     blob NOT NULL REFERENCES tenants (id),
    id            blob NOT NULL,
    family_name   text NOT NULL,
    given_names   text NOT NULL,
    birth_date    text NOT NULL,
    nationality   text NOT NULL,
    match_key     text NOT NULL,
    created_at    text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX rollout_persons_match ON rollout_persons (tenant_id, match_key);

CREATE TABLE pik_registrations (
    tenant_id        blob NOT NULL,
    id               blob NOT NULL,
    device_id        blob NOT NULL,
    idempotency_key  text NOT NULL,
    person_id        blob NOT NULL,
    person_created   boolean NOT NULL,
    captured_at      text NOT NULL,
    received_at      text NOT NULL,
    personal_data    text NOT NULL,
    documents        text NOT NULL,
    key_version      integer NOT NULL,
    photo_sealed     text,
    fingerprints_sealed text,
    processed_at     text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, device_id, idempotency_key),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES rollout_persons (tenant_id, id)
);
CREATE INDEX pik_registrations_unprocessed ON pik_registrations (tenant_id, processed_at);

