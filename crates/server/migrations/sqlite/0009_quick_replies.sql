-- Saved replies: shared with an inbox's team (inbox_id) or personal (owner_id), never both.
CREATE TABLE quick_replies (
    id          INTEGER PRIMARY KEY,
    inbox_id    INTEGER REFERENCES inboxes(id),
    owner_id    INTEGER REFERENCES agents(id),
    author_id   INTEGER NOT NULL REFERENCES agents(id),
    shortcut    TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK ((inbox_id IS NULL) <> (owner_id IS NULL))
);
-- One shortcut means one reply within each inbox and within each agent's own.
CREATE UNIQUE INDEX quick_replies_inbox_shortcut ON quick_replies (inbox_id, shortcut) WHERE inbox_id IS NOT NULL;
CREATE UNIQUE INDEX quick_replies_owner_shortcut ON quick_replies (owner_id, shortcut) WHERE owner_id IS NOT NULL;
