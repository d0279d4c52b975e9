-- PIK-Chassis registrations into cases (issue 6): a registration whose person the matching engine
-- may already know waits here, with the engine's proposals, until a clerk confirms a person or
-- decides it is a new one; then a case opens in the first-registration model process.
CREATE TABLE pik_match_reviews (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    registration_id  uuid NOT NULL,
    -- JSON list of {"person_id", "score", "sure"}, best first.
    proposals        text NOT NULL,
    state            text NOT NULL CHECK (state IN ('open', 'decided')),
    person_id        uuid,
    case_id          uuid,
    decided_by       text,
    decided_at       timestamptz,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, registration_id),
    FOREIGN KEY (tenant_id, registration_id) REFERENCES pik_registrations (tenant_id, id)
);
CREATE INDEX pik_match_reviews_open ON pik_match_reviews (tenant_id, state, created_at);

ALTER TABLE pik_match_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE pik_match_reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pik_match_reviews
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
