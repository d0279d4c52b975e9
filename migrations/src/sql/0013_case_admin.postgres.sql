-- Case administration (issue 5): a tenant keeping its own variant when the state offers a newer
-- model, and the throughput figures of each authority that the ministry compares.

-- The model version whose update the tenant declined ("keep our own"); a newer model is offered again.
ALTER TABLE tenant_processes ADD COLUMN kept_model_version integer;

-- Throughput per model process and step of one authority, computed from the routing history by the
-- daily `case_throughput` job: counts and durations only, no case, person or user. `step` is empty
-- for the whole case (opening to decision). Tenant-owned like the rollout administration tables,
-- and like them readable by the ministry's read-only aggregate transaction
-- (`app.rollout_aggregate`), which never opens `case_history` itself.
CREATE TABLE case_throughput (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    process_id      text NOT NULL,
    step            text NOT NULL,
    measured        bigint NOT NULL,
    median_seconds  bigint NOT NULL,
    p90_seconds     bigint NOT NULL,
    computed_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, process_id, step)
);

ALTER TABLE case_throughput ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_throughput FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON case_throughput
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
CREATE POLICY rollout_aggregate ON case_throughput FOR SELECT
    USING (current_setting('app.rollout_aggregate', true) = 'on');

-- The throughput job reads each case's history in order of its steps; the primary key
-- (tenant_id, case_id, seq) serves that, and cases of a process are found by this index.
CREATE INDEX cases_process ON cases (tenant_id, process_id, created_at);
