-- Approved message templates per inbox (WhatsApp), and which template a message was sent as.
CREATE TABLE templates (
    id       INTEGER PRIMARY KEY,
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    language TEXT    NOT NULL,
    body     TEXT    NOT NULL,
    UNIQUE (inbox_id, name, language)
);
ALTER TABLE items ADD COLUMN template TEXT;
