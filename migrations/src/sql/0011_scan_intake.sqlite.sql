-- Scan intake (issue 4): see 0011_scan_intake.postgres.sql. The same table; the immutability of the
-- record is kept by triggers.
CREATE TABLE scan_records (
    tenant_id                blob NOT NULL REFERENCES tenants (id),
    id                       blob NOT NULL,
    batch_id                 blob NOT NULL,
    batch_sha256             TEXT NOT NULL,
    batch_pages              INTEGER NOT NULL,
    first_page               INTEGER NOT NULL,
    last_page                INTEGER NOT NULL,
    page_count               INTEGER NOT NULL,
    device                   TEXT NOT NULL,
    scanned_by               blob NOT NULL,
    scanned_at               TEXT NOT NULL,
    object_key               TEXT NOT NULL,
    sha256                   TEXT NOT NULL,
    content_type             TEXT NOT NULL,
    file_name                TEXT NOT NULL,
    size_bytes               INTEGER NOT NULL,
    quality_passed           boolean NOT NULL,
    quality                  TEXT NOT NULL,
    text_state               TEXT NOT NULL,
    extracted_text           TEXT NOT NULL DEFAULT '',
    assigned_at              TEXT,
    assigned_by              blob,
    assigned_application_id  blob,
    assigned_person_id       blob,
    assigned_document_id     blob,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, object_key),
    FOREIGN KEY (tenant_id, assigned_application_id) REFERENCES applications (tenant_id, id)
);
CREATE INDEX scan_records_inbox ON scan_records (tenant_id, scanned_at DESC) WHERE assigned_at IS NULL;
CREATE INDEX scan_records_batch ON scan_records (tenant_id, batch_id);

CREATE TRIGGER scan_records_immutable BEFORE UPDATE OF tenant_id, id, batch_id, batch_sha256,
    batch_pages, first_page, last_page, page_count, device, scanned_by, scanned_at, object_key, sha256,
    content_type, file_name, size_bytes, quality_passed, quality ON scan_records
BEGIN
    SELECT RAISE(ABORT, 'scan records are immutable');
END;
CREATE TRIGGER scan_records_assigned_once BEFORE UPDATE OF assigned_at, assigned_by,
    assigned_application_id, assigned_person_id, assigned_document_id ON scan_records
    WHEN old.assigned_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a scan is assigned once');
END;

-- Text extracted later (OCR of a scan already in the e-file) must reach the full-text index too.
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, plan_position, body_text ON documents BEGIN
    DELETE FROM documents_fts WHERE tenant_id = old.tenant_id AND document_id = old.id;
    INSERT INTO documents_fts (tenant_id, document_id, title, body)
    VALUES (new.tenant_id, new.id, new.title, new.plan_position || ' ' || new.body_text);
END;
