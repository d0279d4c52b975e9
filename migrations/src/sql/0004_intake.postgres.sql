-- Applicant portal and digital intake (issue 4).

-- Platform tables: no tenant_id, no case data. See PLATFORM_TABLES.

-- The statewide service catalog as loaded from backend/intake/services at start; every tenant
-- shares the same definition, so an update reaches all of them.
CREATE TABLE intake_services (
    key          text PRIMARY KEY,
    version      integer NOT NULL,
    authority    text NOT NULL,
    fee_code     text NOT NULL,
    definition   text NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- Which tenants hold something of an applicant (a draft, an application): the portal lists an
-- applicant's applications across authorities without a cross-tenant query. Identifiers only.
CREATE TABLE portal_links (
    applicant_id  uuid NOT NULL REFERENCES applicant_accounts (id),
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    kind          text NOT NULL,
    object_id     uuid NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (applicant_id, tenant_id, kind, object_id)
);

-- Tenant-owned tables: tenant_id leads every key; row-level security below.

-- A tenant's activation of a statewide service, with its own hints, contact and opening hours.
CREATE TABLE tenant_services (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    service_key    text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    hints          text,
    contact        text,
    opening_hours  text,
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, service_key)
);

-- Drafts: continued later, also on another device after sign-in.
CREATE TABLE intake_drafts (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    applicant_id  uuid NOT NULL,
    service_key   text NOT NULL,
    form_data     text NOT NULL,
    step          integer NOT NULL DEFAULT 0,
    language      text NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    submitted_application_id uuid,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX intake_drafts_applicant ON intake_drafts (tenant_id, applicant_id);

CREATE TABLE applications (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL,
    reference        text NOT NULL,
    applicant_id     uuid NOT NULL,
    service_key      text NOT NULL,
    service_version  integer NOT NULL,
    form_data        text NOT NULL,
    state            text NOT NULL,
    idempotency_key  text NOT NULL,
    draft_id         uuid,
    fee_code         text NOT NULL,
    fee_cents        bigint NOT NULL,
    fee_exemption    text,
    language         text NOT NULL,
    submitted_at     timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, reference),
    -- A double click or a retry with the same key never makes a second application.
    UNIQUE (tenant_id, applicant_id, idempotency_key)
);
CREATE INDEX applications_inbox ON applications (tenant_id, state, submitted_at);
CREATE INDEX applications_applicant ON applications (tenant_id, applicant_id);

CREATE TABLE evidence_documents (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    applicant_id    uuid,
    draft_id        uuid,
    application_id  uuid,
    message_id      uuid,
    evidence_key    text NOT NULL,
    object_key      text NOT NULL,
    sha256          text NOT NULL,
    content_type    text NOT NULL,
    file_name       text NOT NULL,
    size_bytes      bigint NOT NULL,
    source          text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, object_key)
);
CREATE INDEX evidence_documents_draft ON evidence_documents (tenant_id, draft_id);
CREATE INDEX evidence_documents_application ON evidence_documents (tenant_id, application_id);

-- Fee payments through the ePayBL-shaped adapter. The provider reference is ours and signed.
CREATE TABLE payments (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    applicant_id    uuid NOT NULL,
    draft_id        uuid NOT NULL,
    application_id  uuid,
    fee_code        text NOT NULL,
    amount_cents    bigint NOT NULL,
    currency        text NOT NULL,
    state           text NOT NULL,
    provider_txn    text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    settled_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX payments_draft ON payments (tenant_id, draft_id);

-- Every callback received, once per provider event id: a doubled callback changes nothing.
CREATE TABLE payment_events (
    tenant_id    uuid NOT NULL REFERENCES tenants (id),
    payment_id   uuid NOT NULL,
    event_id     text NOT NULL,
    outcome      text NOT NULL,
    received_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, payment_id, event_id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);

-- Messages both ways; staff requests can carry a due date.
CREATE TABLE application_messages (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    application_id  uuid NOT NULL,
    direction       text NOT NULL,
    author          text NOT NULL,
    body            text NOT NULL,
    due_at          date,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id)
);
CREATE INDEX application_messages_application ON application_messages (tenant_id, application_id, created_at);

-- Appointments: resources (counters, biometrics stations, interpreters) and their opening hours
-- define the slots.
CREATE TABLE appointment_resources (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL,
    kind       text NOT NULL,
    name       text NOT NULL,
    languages  text NOT NULL DEFAULT '',
    active     boolean NOT NULL DEFAULT true,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE opening_hours (
    tenant_id     uuid NOT NULL REFERENCES tenants (id),
    id            uuid NOT NULL,
    resource_id   uuid NOT NULL,
    weekday       integer NOT NULL,
    opens         text NOT NULL,
    closes        text NOT NULL,
    slot_minutes  integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES appointment_resources (tenant_id, id)
);

CREATE TABLE appointments (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    resource_id     uuid NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    applicant_id    uuid NOT NULL,
    application_id  uuid,
    state           text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES appointment_resources (tenant_id, id)
);
-- Never double-booked: at most one booked appointment per resource and start, enforced by the
-- database under any concurrency.
CREATE UNIQUE INDEX appointments_no_double_booking
    ON appointments (tenant_id, resource_id, starts_at) WHERE state = 'booked';
CREATE INDEX appointments_applicant ON appointments (tenant_id, applicant_id);

CREATE TABLE pickup_codes (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL,
    application_id  uuid NOT NULL,
    code_hash       text NOT NULL,
    location        text NOT NULL,
    created_at      timestamptz NOT NULL,
    collected_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code_hash),
    FOREIGN KEY (tenant_id, application_id) REFERENCES applications (tenant_id, id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tenant_services', 'intake_drafts', 'applications', 'evidence_documents',
                             'payments', 'payment_events', 'application_messages',
                             'appointment_resources', 'opening_hours', 'appointments', 'pickup_codes']
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
