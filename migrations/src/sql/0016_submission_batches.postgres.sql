-- Group commit of portal submissions (ADR 0005): the mail worker claims the oldest unsent mails in
-- batches; without this index every claim scanned and sorted every mail ever sent.
CREATE INDEX mail_outbox_unsent ON mail_outbox (created_at) WHERE sent_at IS NULL;
