-- Each inbox's provider credentials and endpoints, as JSON (see providers/mod.rs).
ALTER TABLE inboxes ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
-- The subject of an email conversation, for replies ("Re: ...").
ALTER TABLE conversations ADD COLUMN subject TEXT;
-- A template message's language and values, for the provider (the text holds it rendered).
ALTER TABLE items ADD COLUMN template_language TEXT;
ALTER TABLE items ADD COLUMN template_params TEXT;
-- Status reports that came before we stored the provider's id for the message (a provider
-- may call back before its own API call has returned); applied once the id is stored.
CREATE TABLE early_reports (
    id INTEGER PRIMARY KEY,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    provider_message_id TEXT NOT NULL,
    status TEXT NOT NULL,
    failure_code TEXT,
    failure_reason TEXT,
    received_at INTEGER NOT NULL
);
CREATE INDEX early_reports_by_message ON early_reports (inbox_id, provider_message_id);
