-- Files of messages. An agent's upload belongs to a conversation before it belongs to a
-- message (message_id NULL until sent); the bytes live in the storage under storage_key.
CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    message_id      INTEGER REFERENCES items(id),
    uploader_id     INTEGER REFERENCES agents(id),
    name            TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    bytes           INTEGER NOT NULL,
    storage_key     TEXT NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);
-- A message's attachments as JSON, so reading a thread needs no second query.
ALTER TABLE items ADD COLUMN attachments TEXT;
