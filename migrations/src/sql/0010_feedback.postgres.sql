-- Reports sent through the accessibility statement's feedback form (BITV NRW asks for an
-- electronic contact form). A platform table: the reports concern the site, not a tenant's cases.
CREATE TABLE accessibility_feedback (
    id           uuid PRIMARY KEY,
    received_at  timestamptz NOT NULL,
    message      text NOT NULL,
    page         text,
    contact      text,
    lang         text NOT NULL,
    handled_at   timestamptz
);
CREATE INDEX accessibility_feedback_open ON accessibility_feedback (received_at) WHERE handled_at IS NULL;
