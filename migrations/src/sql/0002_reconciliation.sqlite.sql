-- The embedded default: same tables as the PostgreSQL file, without row-level security.

-- One run of the reconciliation of one authority. Counts and the incongruence rate are filled in
-- when the job completes; the job itself lives in job_queue (payload: the run id only).
CREATE TABLE reconciliation_runs (
    tenant_id          blob NOT NULL REFERENCES tenants (id),
    id                 blob NOT NULL,
    state              text NOT NULL,
    stage              text NOT NULL DEFAULT '',
    progress           real NOT NULL DEFAULT 0,
    azr_source         text NOT NULL,
    job_id             blob,
    previous_run_id    blob,
    started_by         blob NOT NULL,
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
    incongruence_rate  real,
    summary            text,
    error              text,
    created_at         text NOT NULL,
    started_at         text,
    finished_at        text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reconciliation_runs_created ON reconciliation_runs (tenant_id, created_at);

-- The uploaded (or adapter-fetched) extracts, kept as rows so that personal data stays inside
-- the tenant boundary (row-level security) and is backed up with the database.
CREATE TABLE reconciliation_extracts (
    tenant_id   blob NOT NULL,
    run_id      blob NOT NULL,
    side        text NOT NULL,
    file_name   text NOT NULL,
    content     blob NOT NULL,
    size_bytes  bigint NOT NULL,
    sha256      text NOT NULL,
    created_at  text NOT NULL,
    PRIMARY KEY (tenant_id, run_id, side),
    FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);

-- Every record of either extract with its class; `data` is the JSON array of the 14 columns.
CREATE TABLE reconciliation_records (
    tenant_id    blob NOT NULL,
    run_id       blob NOT NULL,
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
    tenant_id         blob NOT NULL,
    id                blob NOT NULL,
    run_id            blob NOT NULL,
    local_record_id   text NOT NULL,
    azr_record_id     text NOT NULL,
    class             text NOT NULL,
    weight            real NOT NULL,
    probability       real NOT NULL,
    explanation       text NOT NULL,
    difference_count  integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, run_id, local_record_id, azr_record_id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);

-- Differing fields of linked pairs, with the proposal and the current decision state.
CREATE TABLE reconciliation_differences (
    tenant_id       blob NOT NULL,
    id              blob NOT NULL,
    run_id          blob NOT NULL,
    pair_id         blob NOT NULL,
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
    tenant_id      blob NOT NULL,
    id             blob NOT NULL,
    run_id         blob NOT NULL,
    difference_id  blob NOT NULL,
    kind           text NOT NULL,
    decided_side   text,
    value          text,
    note           text NOT NULL,
    decided_by     blob NOT NULL,
    decided_at     text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, difference_id) REFERENCES reconciliation_differences (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX reconciliation_decisions_run ON reconciliation_decisions (tenant_id, run_id);

-- The ministry's view: per tenant per finished run, counts and the incongruence rate only — no
-- record ids, no names, no values. A platform table (see PLATFORM_TABLES), written by the job when a
-- run completes, so the ministry console reads it without any cross-tenant access to case data.
CREATE TABLE reconciliation_aggregates (
    run_id             blob PRIMARY KEY,
    tenant_id          blob NOT NULL REFERENCES tenants (id),
    finished_at        text NOT NULL,
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
    incongruence_rate  real NOT NULL
);
CREATE INDEX reconciliation_aggregates_tenant ON reconciliation_aggregates (tenant_id, finished_at);
