-- Appointment reminders (issue 4); see the PostgreSQL variant for the reasons.
ALTER TABLE appointments ADD COLUMN reminded_at text;
CREATE INDEX appointments_due_reminder ON appointments (tenant_id, starts_at)
    WHERE state = 'booked' AND reminded_at IS NULL;
