-- Case processing: persons (the local register's view, Ausländerdatei A/B), cases on versioned
-- process definitions, the routing-folder history, the e-file (documents and their versions), file
-- plans, retention reviews and transfers between authorities.
--
-- SQLite (embedded default): same tables, no row-level security; full text through FTS5 tables
-- kept in step by triggers.
--
-- Sized for 200,000 persons, 1,000,000 cases and 3,000,000 documents per tenant: every index leads
-- with tenant_id; worklists read (tenant, holder, state, due date) in index order; full text is a
-- FTS5 table per searchable table (see the end of this file).

-- Platform data: the statewide model processes as published (one row per version). Tenants read them;
-- a running case points at (process_id, version) and so stays on the version it started with.
CREATE TABLE process_models (
    id            text NOT NULL,
    version       integer NOT NULL,
    name          text NOT NULL,
    definition    text NOT NULL,
    published_at  text NOT NULL,
    PRIMARY KEY (id, version)
);

-- Platform data: the statewide reference file plan (positions follow the intent of the federal
-- reference standard; one structure for all ABH).
CREATE TABLE reference_file_plan (
    position         text PRIMARY KEY,
    parent_position  text,
    title            text NOT NULL,
    retention_class  text NOT NULL
);

-- A tenant's adopted processes: the model as it is, or a variant linked to the model version it
-- was derived from. Versioned like the models.
CREATE TABLE tenant_processes (
    tenant_id      blob NOT NULL REFERENCES tenants (id),
    id             text NOT NULL,
    version        integer NOT NULL,
    model_id       text NOT NULL,
    model_version  integer NOT NULL,
    kind           text NOT NULL,            -- 'model' | 'variant'
    definition     text NOT NULL,
    adopted_at     text NOT NULL,
    adopted_by     blob,
    PRIMARY KEY (tenant_id, id, version)
);

-- A tenant's own file plan; empty means the tenant uses the reference plan itself (preferred).
CREATE TABLE tenant_file_plan (
    tenant_id           blob NOT NULL REFERENCES tenants (id),
    position            text NOT NULL,
    title               text NOT NULL,
    reference_position  text,                -- NULL: mapping missing (shown as such)
    PRIMARY KEY (tenant_id, position)
);

CREATE TABLE persons (
    tenant_id            blob NOT NULL REFERENCES tenants (id),
    id                   blob NOT NULL,
    file_number          text NOT NULL,      -- Aktenzeichen der Ausländerakte
    azr_number           text,
    family_name          text NOT NULL,
    given_names          text NOT NULL,
    birth_name           text,
    birth_date           text,               -- ISO date; may be partial in the registers
    birth_place          text,
    birth_country        text,
    sex                  text,
    nationality          text,
    doctoral_degree      text,
    match_key            text NOT NULL,      -- phonetic key of the folded names (identity matching)
    register             text NOT NULL DEFAULT 'A',   -- 'A' | 'B' (AufenthV §§ 62-68)
    register_reason      text,               -- death | moved_away | naturalization | handover
    register_changed_at  text,
    handover_to          text,               -- recipient authority of a handover (§ 67)
    created_at           text NOT NULL,
    updated_at           text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, file_number)
);
CREATE INDEX persons_azr ON persons (tenant_id, azr_number) WHERE azr_number IS NOT NULL;
CREATE INDEX persons_match ON persons (tenant_id, match_key, birth_date);
CREATE INDEX persons_name ON persons (tenant_id, family_name, given_names);
CREATE INDEX persons_register ON persons (tenant_id, register, register_changed_at);

-- Other spellings, former names, aliases (§ 64 AufenthV: may be kept as separate data sets).
CREATE TABLE person_names (
    tenant_id    blob NOT NULL,
    id           blob NOT NULL,
    person_id    blob NOT NULL,
    kind         text NOT NULL,              -- spelling | former | alias | birth
    family_name  text NOT NULL,
    given_names  text NOT NULL,
    match_key    text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX person_names_person ON person_names (tenant_id, person_id);
CREATE INDEX person_names_match ON person_names (tenant_id, match_key);

CREATE TABLE person_addresses (
    tenant_id    blob NOT NULL,
    id           blob NOT NULL,
    person_id    blob NOT NULL,
    street       text NOT NULL,
    postal_code  text NOT NULL,
    city         text NOT NULL,
    valid_from   text,
    valid_to     text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX person_addresses_person ON person_addresses (tenant_id, person_id);

-- Residence titles and other measures with their validity (§ 65 AufenthV).
CREATE TABLE person_titles (
    tenant_id    blob NOT NULL,
    id           blob NOT NULL,
    person_id    blob NOT NULL,
    kind         text NOT NULL,
    legal_basis  text,
    valid_from   text,
    valid_to     text,
    case_id      blob,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX person_titles_person ON person_titles (tenant_id, person_id);
CREATE INDEX person_titles_expiry ON person_titles (tenant_id, valid_to);

CREATE TABLE cases (
    tenant_id        blob NOT NULL REFERENCES tenants (id),
    id               blob NOT NULL,
    reference        text NOT NULL,          -- Aktenzeichen of the case
    person_id        blob NOT NULL,
    process_id       text NOT NULL,
    process_version  integer NOT NULL,
    process_kind     text NOT NULL,          -- model | variant
    step             text NOT NULL,
    state            text NOT NULL,          -- open | waiting | decided | closed
    holder_user_id   blob,                   -- NULL: in the team's basket for holder_role
    holder_role      text NOT NULL,
    clerk_user_id    blob,                   -- who prepared the decision (four-eyes)
    step_due_at      text,
    case_due_at      text,
    reminded_at      text,
    escalated_at     text,
    decision         text,
    intake_id        blob,
    step_started_at  text NOT NULL,
    created_at       text NOT NULL,
    updated_at       text NOT NULL,
    closed_at        text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, reference),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
-- Worklists: "mine" and "my team's", by state, oldest deadline first; counts from the same indexes.
CREATE INDEX cases_holder ON cases (tenant_id, holder_user_id, state, step_due_at);
CREATE INDEX cases_team ON cases (tenant_id, holder_role, state, step_due_at);
CREATE INDEX cases_person ON cases (tenant_id, person_id, created_at);
CREATE INDEX cases_due ON cases (tenant_id, step_due_at) WHERE state IN ('open', 'waiting');
CREATE UNIQUE INDEX cases_intake ON cases (tenant_id, intake_id) WHERE intake_id IS NOT NULL;

-- The routing folder: every forward, ask, return, approval, comment, decision, reminder.
CREATE TABLE case_history (
    tenant_id      blob NOT NULL,
    case_id        blob NOT NULL,
    seq            integer NOT NULL,
    at             text NOT NULL,
    actor          text NOT NULL,            -- user id, or 'system' for clocks
    action         text NOT NULL,
    from_step      text,
    to_step        text,
    to_user_id     blob,
    comment        text,
    decision       text,
    PRIMARY KEY (tenant_id, case_id, seq),
    FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE
);
-- Throughput per step and process (aggregates for the ministry console).
CREATE INDEX case_history_action ON case_history (tenant_id, action, at);

-- The e-file. Bytes live in the object store under object_key; the database keeps the hash.
CREATE TABLE documents (
    tenant_id           blob NOT NULL REFERENCES tenants (id),
    id                  blob NOT NULL,
    person_id           blob NOT NULL,
    case_id             blob,
    title               text NOT NULL,
    media_type          text NOT NULL,
    source              text NOT NULL,       -- online_application | scan | generated | pik | received
    plan_position       text NOT NULL,       -- the tenant's plan position
    reference_position  text NOT NULL,       -- the reference plan position it maps to
    current_version     integer NOT NULL,
    retention_until     text,
    body_text           text NOT NULL DEFAULT '',
    created_at          text NOT NULL,
    updated_at          text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES persons (tenant_id, id)
);
CREATE INDEX documents_person ON documents (tenant_id, person_id, created_at DESC);
CREATE INDEX documents_case ON documents (tenant_id, case_id, created_at DESC) WHERE case_id IS NOT NULL;
CREATE INDEX documents_retention ON documents (tenant_id, retention_until) WHERE retention_until IS NOT NULL;

CREATE TABLE document_versions (
    tenant_id    blob NOT NULL,
    document_id  blob NOT NULL,
    version      integer NOT NULL,
    object_key   text NOT NULL,
    sha256       text NOT NULL,
    size_bytes   integer NOT NULL,
    created_at   text NOT NULL,
    created_by   text NOT NULL,
    PRIMARY KEY (tenant_id, document_id, version),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
);

-- What the daily retention job found due; deletion only after a person confirms.
CREATE TABLE retention_reviews (
    tenant_id     blob NOT NULL REFERENCES tenants (id),
    id            blob NOT NULL,
    person_id     blob NOT NULL,
    rule          text NOT NULL,
    due_on        text NOT NULL,
    state         text NOT NULL,             -- due | deleted | kept
    listed_at     text NOT NULL,
    decided_at    text,
    decided_by    blob,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX retention_reviews_open ON retention_reviews (tenant_id, person_id) WHERE state = 'due';
CREATE INDEX retention_reviews_state ON retention_reviews (tenant_id, state, due_on);

-- Transfers on change of jurisdiction. Each side keeps its own row (RLS: a tenant sees only its own):
-- the requesting authority an 'outgoing' request, the holding authority an 'incoming' one, both with
-- the same transfer id.
CREATE TABLE transfer_requests (
    tenant_id             blob NOT NULL REFERENCES tenants (id),
    id                    blob NOT NULL,
    direction             text NOT NULL,     -- requested (we asked) | received (we were asked)
    counterpart_tenant_id blob NOT NULL,
    azr_number            text,
    family_name           text,
    birth_date            text,
    person_id             blob,              -- on the holding side once found; on the requesting side once imported
    state                 text NOT NULL,     -- requested | consented | refused | completed
    message_id            blob,
    note                  text,
    created_at            text NOT NULL,
    decided_at            text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX transfer_requests_state ON transfer_requests (tenant_id, state, created_at);


-- Full text on the embedded default: FTS5 with diacritics folded.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    tenant_id UNINDEXED, document_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (tenant_id, document_id, title, body)
    VALUES (new.tenant_id, new.id, new.title, new.plan_position || ' ' || new.body_text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    DELETE FROM documents_fts WHERE tenant_id = old.tenant_id AND document_id = old.id;
END;

CREATE VIRTUAL TABLE persons_fts USING fts5(
    tenant_id UNINDEXED, person_id UNINDEXED, names, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_fts (tenant_id, person_id, names)
    VALUES (new.tenant_id, new.id, new.family_name || ' ' || new.given_names || ' ' ||
            coalesce(new.birth_name, '') || ' ' || new.file_number || ' ' || coalesce(new.azr_number, ''));
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
    DELETE FROM persons_fts WHERE tenant_id = old.tenant_id AND person_id = old.id;
END;
