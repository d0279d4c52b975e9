-- Case administration (issue 5): a tenant keeping its own variant when the state offers a newer
-- model, and the throughput figures of each authority that the ministry compares (see the
-- PostgreSQL file for the access rules).

ALTER TABLE tenant_processes ADD COLUMN kept_model_version integer;

CREATE TABLE case_throughput (
    tenant_id       blob NOT NULL REFERENCES tenants (id),
    process_id      text NOT NULL,
    step            text NOT NULL,
    measured        integer NOT NULL,
    median_seconds  integer NOT NULL,
    p90_seconds     integer NOT NULL,
    computed_at     text NOT NULL,
    PRIMARY KEY (tenant_id, process_id, step)
);

CREATE INDEX cases_process ON cases (tenant_id, process_id, created_at);
