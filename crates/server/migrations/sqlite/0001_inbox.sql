-- Switchboard's SQLite schema. Times are unix milliseconds (INTEGER), ids are INTEGER rowids.

CREATE TABLE agents (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT    NOT NULL,
    -- NULL for accounts that cannot log in with a password (service accounts).
    password_hash TEXT,
    kind          TEXT    NOT NULL DEFAULT 'human' CHECK (kind IN ('human', 'service')),
    created_at    INTEGER NOT NULL
);

-- Opaque session tokens, stored as their SHA-256 so a copy of the database cannot log in.
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    agent_id   INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE inboxes (
    id         INTEGER PRIMARY KEY,
    channel    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    address    TEXT    NOT NULL,
    provider   TEXT    NOT NULL DEFAULT 'sandbox',
    created_at INTEGER NOT NULL
);

CREATE TABLE inbox_members (
    inbox_id INTEGER NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (inbox_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX inbox_members_by_agent ON inbox_members (agent_id, inbox_id);

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    channel    TEXT    NOT NULL,
    handle     TEXT    NOT NULL,
    name       TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (channel, handle)
);

CREATE TABLE conversations (
    id                     INTEGER PRIMARY KEY,
    inbox_id               INTEGER NOT NULL REFERENCES inboxes (id),
    contact_id             INTEGER NOT NULL REFERENCES contacts (id),
    status                 TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
    assignee_id            INTEGER REFERENCES agents (id),
    last_message_id        INTEGER,
    last_message_direction TEXT,
    last_message_preview   TEXT,
    last_message_at        INTEGER,
    -- Id of the newest customer message: an agent has unread messages when it is past theirs.
    last_inbound_id        INTEGER NOT NULL DEFAULT 0,
    last_activity_at       INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conversations_by_activity ON conversations (status, last_activity_at DESC, id DESC);
CREATE INDEX conversations_by_assignee ON conversations (assignee_id, status, last_activity_at DESC);
CREATE INDEX conversations_by_contact ON conversations (contact_id, inbox_id, status);

-- A conversation's thread: messages and conversation events share one increasing id.
CREATE TABLE items (
    id                  INTEGER PRIMARY KEY,
    conversation_id     INTEGER NOT NULL REFERENCES conversations (id),
    kind                TEXT    NOT NULL CHECK (kind IN ('message', 'event')),
    direction           TEXT CHECK (direction IN ('in', 'out')),
    author_id           INTEGER REFERENCES agents (id),
    text                TEXT,
    client_id           TEXT UNIQUE,
    status              TEXT,
    failure_code        TEXT,
    failure_reason      TEXT,
    provider_message_id TEXT,
    event_kind          TEXT,
    event_agent_id      INTEGER REFERENCES agents (id),
    created_at          INTEGER NOT NULL,
    status_at           INTEGER
);
CREATE INDEX items_by_conversation ON items (conversation_id, id);
CREATE INDEX items_by_provider_id ON items (provider_message_id) WHERE provider_message_id IS NOT NULL;
CREATE INDEX items_in_flight ON items (status) WHERE status IN ('sending', 'sent', 'delivered');

-- What each agent has read of each conversation.
CREATE TABLE read_state (
    agent_id        INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    last_read_id    INTEGER NOT NULL,
    PRIMARY KEY (agent_id, conversation_id)
) WITHOUT ROWID;

-- The feed: every change, in order, written in the same transaction as the change.
-- `inbox_id` limits an event to the inbox's members, `audience_id` to one agent.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    inbox_id    INTEGER,
    audience_id INTEGER,
    payload     TEXT    NOT NULL
);

-- Small facts about the database itself, e.g. the newest event seq that was pruned.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
