-- Case processing at the size of a large authority (issue 5: 200,000 persons, 1,000,000 cases,
-- 3,000,000 documents; docs/benchmarks.md). Every worklist reads its first page in index order
-- instead of sorting all matching cases, and the e-file reads its newest documents in index order.

-- "Mine": the holder's cases by deadline (cases without one last), then by age: the worklist's
-- ORDER BY, so a clerk holding years of decided cases gets the first page without a sort.
CREATE INDEX cases_holder_due ON cases (tenant_id, holder_user_id, step_due_at, created_at);

-- The team's basket: cases nobody holds, per role, in the same order. A partial index, because
-- almost every case has a holder (decided cases keep their clerk).
CREATE INDEX cases_basket ON cases (tenant_id, holder_role, step_due_at, created_at)
    WHERE holder_user_id IS NULL;

-- The team leads' basket: the approvers' cases nobody holds and every escalated open case, the
-- predicate of `Scope::Team("approver")` word for word, so its page is one ordered index scan.
CREATE INDEX cases_lead_basket ON cases (tenant_id, step_due_at, created_at)
    WHERE (holder_user_id IS NULL AND holder_role = 'approver') OR (escalated_at IS NOT NULL AND state <> 'decided');

-- Every case of the authority in the same order (the "all" tab).
CREATE INDEX cases_due_all ON cases (tenant_id, step_due_at, created_at);

-- The tenant's newest documents: the e-file listing and, for frequent words, the full-text search
-- (walking the newest documents and checking the text finds a page sooner than collecting every
-- match from the GIN index and sorting it).
CREATE INDEX documents_recent ON documents (tenant_id, created_at DESC);
