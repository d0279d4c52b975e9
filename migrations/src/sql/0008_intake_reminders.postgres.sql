-- Appointment reminders (issue 4): a booked appointment is reminded once, about a day before.
-- `reminded_at` is set in the transaction that enqueues the mail, so a repeated or resumed
-- reminder job never mails twice.
ALTER TABLE appointments ADD COLUMN reminded_at timestamptz;
CREATE INDEX appointments_due_reminder ON appointments (tenant_id, starts_at)
    WHERE state = 'booked' AND reminded_at IS NULL;
