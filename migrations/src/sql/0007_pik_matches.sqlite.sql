-- PIK-Chassis registrations into cases (issue 6); see the PostgreSQL variant.
CREATE TABLE pik_match_reviews (
    tenant_id        blob NOT NULL REFERENCES tenants (id),
    registration_id  blob NOT NULL,
    proposals        text NOT NULL,
    state            text NOT NULL CHECK (state IN ('open', 'decided')),
    person_id        blob,
    case_id          blob,
    decided_by       text,
    decided_at       text,
    created_at       text NOT NULL,
    PRIMARY KEY (tenant_id, registration_id),
    FOREIGN KEY (tenant_id, registration_id) REFERENCES pik_registrations (tenant_id, id)
);
CREATE INDEX pik_match_reviews_open ON pik_match_reviews (tenant_id, state, created_at);
