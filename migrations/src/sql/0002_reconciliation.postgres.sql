-- AZR reconciliation (Datenabgleich) as per-tenant durable jobs. See docs/reconciliation.md.

-- One run of the reconciliation of one authority. Counts and the incongruence rate are filled in
-- when the job completes; the job itself lives in job_queue (payload: the run id only).
CREATE TABLE reconciliation_runs (
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    id                 uuid NOT NULL,
    state              text NOT NULL,
    stage              text NOT NULL DEFAULT '',
    progress           double precision NOT NULL DEFAULT 0,
    azr_source         text NOT NULL,
    job_id             uuid,
    previous_run_id    uuid,
    started_by         uuid NOT NULL,
    records_local      bigint NOT NULL DEFAULT 0,
    records_azr        bigint NOT NULL DEFAULT 0,
    rows_rejected      bigint NOT NULL DEFAULT 0,
    links              bigint NOT NULL DEFAULT 0,
    differences        bigint NOT NULL DEFAULT 0,
    count_identical    bigint NOT NULL DEFAULT 0,
    count_different    bigint NOT NULL DEFAULT 0,
    count_only_local   bigint NOT NULL DEFAULT 0,
    count_only_azr     bigint NOT NULL DEFAULT 0,
    count_duplicate    bigint NOT NULL DEFAULT 0,
    count_ambiguous    bigint NOT NULL DEFAULT 0,
    incongruence_rate  double precision,
    summary            text,
    error              text,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz,
    finished_at        timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reconciliation_runs_created ON reconciliation_runs (tenant_id, created_at);

-- The uploaded (or adapter-fetched) extracts, kept as rows so that personal data stays inside
-- the tenant boundary (row-level security) and is backed up with the database.
CREATE TABLE reconciliation_extracts (
    tenant_id   uuid NOT NULL,
    run_id      uuid NOT NULL,
    side        text NOT NULL,
    file_name   text NOT NULL,
    content     bytea NOT NULL,
    size_bytes  bigint NOT NULL,
    sha256      text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, run_id, side),
    FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);

-- Every record of either extract with its class; `data` is the JSON array of the 14 columns.
CREATE TABLE reconciliation_records (
    tenant_id    uuid NOT NULL,
    run_id       uuid NOT NULL,
    side         text NOT NULL,
    record_id    text NOT NULL,
    class        text NOT NULL,
    explanation  text NOT NULL,
    data         text NOT NULL,
    PRIMARY KEY (tenant_id, run_id, side, record_id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reconciliation_records_class ON reconciliation_records (tenant_id, run_id, class);

-- Linked pairs.
CREATE TABLE reconciliation_pairs (
    tenant_id         uuid NOT NULL,
    id                uuid NOT NULL,
    run_id            uuid NOT NULL,
    local_record_id   text NOT NULL,
    azr_record_id     text NOT NULL,
    class             text NOT NULL,
    weight            double precision NOT NULL,
    probability       double precision NOT NULL,
    explanation       text NOT NULL,
    difference_count  integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, run_id, local_record_id, azr_record_id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);

-- Differing fields of linked pairs, with the proposal and the current decision state.
CREATE TABLE reconciliation_differences (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL,
    run_id          uuid NOT NULL,
    pair_id         uuid NOT NULL,
    seq             integer NOT NULL,
    class           text NOT NULL,
    local_record_id text NOT NULL,
    azr_record_id   text NOT NULL,
    field           text NOT NULL,
    kind            text NOT NULL,
    local_value     text NOT NULL,
    azr_value       text NOT NULL,
    proposed_side   text NOT NULL,
    reason          text NOT NULL,
    change_status   text NOT NULL,
    decision_state  text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, pair_id) REFERENCES reconciliation_pairs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reconciliation_differences_run ON reconciliation_differences (tenant_id, run_id, seq);

-- Every decision a clerk made (the latest per difference counts); the audit log has them too.
CREATE TABLE reconciliation_decisions (
    tenant_id      uuid NOT NULL,
    id             uuid NOT NULL,
    run_id         uuid NOT NULL,
    difference_id  uuid NOT NULL,
    kind           text NOT NULL,
    decided_side   text,
    value          text,
    note           text NOT NULL,
    decided_by     uuid NOT NULL,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, difference_id) REFERENCES reconciliation_differences (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reconciliation_decisions_run ON reconciliation_decisions (tenant_id, run_id);

-- The ministry's view: per tenant per finished run, counts and the incongruence rate only — no
-- record ids, no names, no values. A platform table (see PLATFORM_TABLES), written by the job when a
-- run completes, so the ministry console reads it without any cross-tenant access to case data.
CREATE TABLE reconciliation_aggregates (
    run_id             uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id),
    finished_at        timestamptz NOT NULL,
    records_local      bigint NOT NULL,
    records_azr        bigint NOT NULL,
    links              bigint NOT NULL,
    differences        bigint NOT NULL,
    count_identical    bigint NOT NULL,
    count_different    bigint NOT NULL,
    count_only_local   bigint NOT NULL,
    count_only_azr     bigint NOT NULL,
    count_duplicate    bigint NOT NULL,
    count_ambiguous    bigint NOT NULL,
    incongruence_rate  double precision NOT NULL
);
CREATE INDEX reconciliation_aggregates_tenant ON reconciliation_aggregates (tenant_id, finished_at);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reconciliation_runs', 'reconciliation_extracts', 'reconciliation_records',
                             'reconciliation_pairs', 'reconciliation_differences', 'reconciliation_decisions']
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
