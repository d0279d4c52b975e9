-- Scan intake (issue 4): every document that comes in on paper gets a scan record, kept as evidence
-- in the spirit of BSI TR-RESISCAN (TR 03138): who scanned it, when, on which device, its pages and
-- hash, the batch it came from (hash and page range) and the quality check with its result. The
-- record never changes after creation (a trigger refuses it), except: the assignment, set once,
-- and the extracted text, which an OCR job adds later.
CREATE TABLE scan_records (
    tenant_id                uuid NOT NULL REFERENCES tenants (id),
    id                       uuid NOT NULL,
    batch_id                 uuid NOT NULL,
    batch_sha256             text NOT NULL,
    batch_pages              integer NOT NULL,
    first_page               integer NOT NULL,
    last_page                integer NOT NULL,
    page_count               integer NOT NULL,
    device                   text NOT NULL,
    scanned_by               uuid NOT NULL,
    scanned_at               timestamptz NOT NULL,
    object_key               text NOT NULL,
    sha256                   text NOT NULL,
    content_type             text NOT NULL,
    file_name                text NOT NULL,
    size_bytes               bigint NOT NULL,
    quality_passed           boolean NOT NULL,
    quality                  text NOT NULL,       -- JSON list of findings
    text_state               text NOT NULL,       -- text_layer | ocr_queued | ocr_done | ocr_failed | no_ocr
    extracted_text           text NOT NULL DEFAULT '',
    assigned_at              timestamptz,
    assigned_by              uuid,
    assigned_application_id  uuid,
    assigned_person_id       uuid,
    assigned_document_id     uuid,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, object_key),
    FOREIGN KEY (tenant_id, assigned_application_id) REFERENCES applications (tenant_id, id)
);
-- The inbox: unassigned scans, newest first.
CREATE INDEX scan_records_inbox ON scan_records (tenant_id, scanned_at DESC) WHERE assigned_at IS NULL;
CREATE INDEX scan_records_batch ON scan_records (tenant_id, batch_id);

CREATE FUNCTION scan_records_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.tenant_id, NEW.id, NEW.batch_id, NEW.batch_sha256, NEW.batch_pages, NEW.first_page,
        NEW.last_page, NEW.page_count, NEW.device, NEW.scanned_by, NEW.scanned_at, NEW.object_key,
        NEW.sha256, NEW.content_type, NEW.file_name, NEW.size_bytes, NEW.quality_passed, NEW.quality)
       IS DISTINCT FROM
       (OLD.tenant_id, OLD.id, OLD.batch_id, OLD.batch_sha256, OLD.batch_pages, OLD.first_page,
        OLD.last_page, OLD.page_count, OLD.device, OLD.scanned_by, OLD.scanned_at, OLD.object_key,
        OLD.sha256, OLD.content_type, OLD.file_name, OLD.size_bytes, OLD.quality_passed, OLD.quality) THEN
        RAISE EXCEPTION 'scan records are immutable' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.assigned_at IS NOT NULL AND
       (NEW.assigned_at, NEW.assigned_by, NEW.assigned_application_id, NEW.assigned_person_id,
        NEW.assigned_document_id)
       IS DISTINCT FROM
       (OLD.assigned_at, OLD.assigned_by, OLD.assigned_application_id, OLD.assigned_person_id,
        OLD.assigned_document_id) THEN
        RAISE EXCEPTION 'a scan is assigned once' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER scan_records_immutable BEFORE UPDATE ON scan_records
    FOR EACH ROW EXECUTE FUNCTION scan_records_immutable();

ALTER TABLE scan_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE scan_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scan_records
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
