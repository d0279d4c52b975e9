-- Rollout: onboarding checklist, EfA subscriptions, costs and budgets, devices, surveys, PIK-Chassis.
--
-- Platform tables (PLATFORM_TABLES): the funds and their per-tenant allocations, set by the ministry,
-- and the SINA survey rounds the ministry opens. They hold no personal data.
--
-- Tenant-owned tables carry tenant_id leading the key and forced row-level security. Those that hold
-- rollout administration only (no personal data) have a second, read-only policy for the ministry's
-- aggregate transaction (`app.rollout_aggregate = 'on'`, see backend/store/src/rollout.rs), whose
-- repository functions run GROUP BY queries only. Tables with personal data (persons, registrations,
-- device credentials, data keys) have no such policy: only their own tenant ever sees them.

CREATE TABLE rollout_funds (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    total_cents      bigint NOT NULL,
    usable_until     date,
    budget_reference text NOT NULL
);

INSERT INTO rollout_funds (id, name, total_cents, usable_until, budget_reference) VALUES
    ('federal_lump_sum', 'Fachbezogene Pauschale (Bundesmittel)', 5000000000, '2025-12-31', '§ 29 Haushaltsgesetz'),
    ('state_budget', 'Landesmittel', 900000000, NULL, 'Einzelplan 08 Titelgruppe 75'),
    ('municipal_budget', 'Kommunaler Haushalt', 0, NULL, 'Haushalt der Kommune');

CREATE TABLE rollout_allocations (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    fund_id       text NOT NULL REFERENCES rollout_funds (id),
    amount_cents  bigint NOT NULL,
    basis         text NOT NULL,
    PRIMARY KEY (tenant_id, fund_id)
);

CREATE TABLE sina_surveys (
    id          uuid PRIMARY KEY,
    title       text NOT NULL,
    opened_at   timestamptz NOT NULL,
    closes_on   date NOT NULL,
    closed_at   timestamptz
);

CREATE TABLE rollout_checklist (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    item       text NOT NULL,
    done       boolean NOT NULL DEFAULT false,
    note       text NOT NULL DEFAULT '',
    updated_by uuid,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, item)
);

CREATE TABLE efa_subscriptions (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    service       text NOT NULL,
    status        text NOT NULL,
    committed_on  date,
    connected_on  date,
    payer         text NOT NULL,
    note          text NOT NULL DEFAULT '',
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, service)
);

CREATE TABLE devices (
    tenant_id               uuid NOT NULL REFERENCES tenants (id),
    id                      uuid NOT NULL,
    kind                    text NOT NULL,
    serial                  text NOT NULL,
    state                   text NOT NULL,
    certificate_expires_on  date,
    smartcard_expires_on    date,
    software_version        text NOT NULL DEFAULT '',
    cost_cents              bigint NOT NULL DEFAULT 0,
    payer                   text NOT NULL,
    last_heartbeat_at       timestamptz,
    reported_state          text NOT NULL DEFAULT '',
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, serial)
);

CREATE TABLE cost_ledger (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    service         text,
    device_id       uuid,
    kind            text NOT NULL,
    status          text NOT NULL,
    amount_cents    bigint NOT NULL,
    payer           text NOT NULL,
    funding_source  text NOT NULL,
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    document_ref    text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id)
);
CREATE INDEX cost_ledger_fund ON cost_ledger (funding_source, period_start);

CREATE TABLE device_heartbeats (
    tenant_id         uuid NOT NULL,
    id                uuid NOT NULL,
    device_id         uuid NOT NULL,
    at                timestamptz NOT NULL,
    software_version  text NOT NULL,
    state             text NOT NULL,
    queued_records    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE sina_answers (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    survey_id        uuid NOT NULL REFERENCES sina_surveys (id),
    requested        integer NOT NULL,
    justification    text NOT NULL DEFAULT '',
    answered_at      timestamptz NOT NULL,
    approved         integer,
    approved_at      timestamptz,
    PRIMARY KEY (tenant_id, survey_id)
);

CREATE TABLE digitalization_surveys (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    surveyed_on      date NOT NULL,
    service          text NOT NULL,
    vendor           text NOT NULL,
    dms              boolean NOT NULL,
    scanning         boolean NOT NULL,
    efile_share_pct  integer NOT NULL,
    online_services  integer NOT NULL,
    level_ozg        integer NOT NULL,
    level_2025       integer NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Personal data and secrets: own tenant only.

CREATE TABLE device_credentials (
    tenant_id     uuid NOT NULL,
    id            uuid NOT NULL,
    device_id     uuid NOT NULL,
    secret_hash   text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE tenant_data_keys (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    version        integer NOT NULL,
    master_key_id  text NOT NULL,
    wrapped_key    text NOT NULL,
    created_at     timestamptz NOT NULL,
    retired_at     timestamptz,
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE rollout_persons (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    family_name   text NOT NULL,
    given_names   text NOT NULL,
    birth_date    date NOT NULL,
    nationality   text NOT NULL,
    match_key     text NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX rollout_persons_match ON rollout_persons (tenant_id, match_key);

CREATE TABLE pik_registrations (
    tenant_id        uuid NOT NULL,
    id               uuid NOT NULL,
    device_id        uuid NOT NULL,
    idempotency_key  text NOT NULL,
    person_id        uuid NOT NULL,
    person_created   boolean NOT NULL,
    captured_at      timestamptz NOT NULL,
    received_at      timestamptz NOT NULL,
    personal_data    text NOT NULL,
    documents        text NOT NULL,
    key_version      integer NOT NULL,
    photo_sealed     text,
    fingerprints_sealed text,
    processed_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, device_id, idempotency_key),
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES rollout_persons (tenant_id, id)
);
CREATE INDEX pik_registrations_unprocessed ON pik_registrations (tenant_id, processed_at);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rollout_checklist', 'efa_subscriptions', 'devices', 'cost_ledger',
                             'device_heartbeats', 'sina_answers', 'digitalization_surveys',
                             'device_credentials', 'tenant_data_keys', 'rollout_persons',
                             'pik_registrations']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I '
            'USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid) '
            'WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['rollout_checklist', 'efa_subscriptions', 'devices', 'cost_ledger',
                             'device_heartbeats', 'sina_answers', 'digitalization_surveys']
    LOOP
        EXECUTE format(
            'CREATE POLICY rollout_aggregate ON %I FOR SELECT '
            'USING (current_setting(''app.rollout_aggregate'', true) = ''on'')',
            t);
    END LOOP;
END
$$;
