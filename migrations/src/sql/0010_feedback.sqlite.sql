-- Reports sent through the accessibility statement's feedback form (BITV NRW asks for an
-- electronic contact form). A platform table: the reports concern the site, not a tenant's cases.
CREATE TABLE accessibility_feedback (
    id           blob PRIMARY KEY,
    received_at  TEXT NOT NULL,
    message      TEXT NOT NULL,
    page         TEXT,
    contact      TEXT,
    lang         TEXT NOT NULL,
    handled_at   TEXT
);
CREATE INDEX accessibility_feedback_open ON accessibility_feedback (received_at) WHERE handled_at IS NULL;
