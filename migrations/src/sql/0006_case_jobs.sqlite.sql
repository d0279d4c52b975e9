-- Scheduled case jobs (issue 5); see the PostgreSQL variant for the reasons.

ALTER TABLE cases ADD COLUMN next_clock_at text;
UPDATE cases SET next_clock_at = step_started_at
 WHERE state IN ('open', 'waiting') AND (reminded_at IS NULL OR escalated_at IS NULL);
CREATE INDEX cases_clock ON cases (tenant_id, next_clock_at) WHERE next_clock_at IS NOT NULL;

ALTER TABLE job_queue ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX job_queue_dedupe ON job_queue (dedupe_key) WHERE dedupe_key IS NOT NULL;

ALTER TABLE application_messages ADD COLUMN document_id blob;
