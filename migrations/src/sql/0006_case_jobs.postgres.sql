-- Scheduled case jobs (issue 5): the deadline sweep reads the next clock of each case from an index
-- instead of scanning every open case; scheduled jobs carry a key so that several instances enqueue
-- a period's job once; a message in the applicant's portal mailbox can carry a notice from the e-file.

-- When the next reminder or escalation of the case's current step is due; NULL when none is pending.
ALTER TABLE cases ADD COLUMN next_clock_at timestamptz;
-- Existing open cases are evaluated by the first sweep (it computes the exact time). The owner is
-- subject to the forced policy, so the backfill lifts it for this one statement.
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;
UPDATE cases SET next_clock_at = step_started_at
 WHERE state IN ('open', 'waiting') AND (reminded_at IS NULL OR escalated_at IS NULL);
ALTER TABLE cases FORCE ROW LEVEL SECURITY;
CREATE INDEX cases_clock ON cases (tenant_id, next_clock_at) WHERE next_clock_at IS NOT NULL;

-- `kind:tenant:period` of a scheduled job; NULL for jobs started by a person.
ALTER TABLE job_queue ADD COLUMN dedupe_key text;
CREATE UNIQUE INDEX job_queue_dedupe ON job_queue (dedupe_key) WHERE dedupe_key IS NOT NULL;

-- The e-file document (a notice) delivered with a message to the applicant.
ALTER TABLE application_messages ADD COLUMN document_id uuid;
