-- The conversation workflow: teams (queues) and routing, availability, snoozing, closing with
-- a reason, events that say who did what to whom, and feed events addressed when written.

ALTER TABLE agents ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
-- What the agent chose; "offline" is not stored: it is having no app open.
ALTER TABLE agents ADD COLUMN availability TEXT NOT NULL DEFAULT 'available'
    CHECK (availability IN ('available', 'away'));

CREATE TABLE teams (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    -- Routing on: the queue is offered round-robin to available members under capacity.
    routing            INTEGER NOT NULL DEFAULT 0,
    capacity           INTEGER NOT NULL DEFAULT 5,
    offer_timeout_secs INTEGER NOT NULL DEFAULT 120,
    -- Round-robin: the member offered a conversation last.
    last_offered_to    INTEGER REFERENCES agents (id) ON DELETE SET NULL,
    created_at         INTEGER NOT NULL
);
CREATE TABLE team_members (
    team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, agent_id)
) WITHOUT ROWID;
CREATE INDEX team_members_by_agent ON team_members (agent_id, team_id);
-- Each inbox is served by at most one team: its new conversations go to that queue.
CREATE TABLE team_inboxes (
    team_id  INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    inbox_id INTEGER NOT NULL UNIQUE REFERENCES inboxes (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, inbox_id)
) WITHOUT ROWID;

ALTER TABLE conversations ADD COLUMN team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN snoozed_until INTEGER;
ALTER TABLE conversations ADD COLUMN close_reason TEXT;
ALTER TABLE conversations ADD COLUMN close_summary TEXT;
ALTER TABLE conversations ADD COLUMN closed_by INTEGER REFERENCES agents (id);
ALTER TABLE conversations ADD COLUMN closed_at INTEGER;
-- Routing offered it to its assignee then; cleared when they open it.
ALTER TABLE conversations ADD COLUMN offered_at INTEGER;
CREATE INDEX conversations_by_team ON conversations (team_id, status, assignee_id);
CREATE INDEX conversations_by_inbox ON conversations (inbox_id, status);
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE snoozed_until IS NOT NULL;
CREATE INDEX conversations_offered ON conversations (offered_at) WHERE offered_at IS NOT NULL;

-- What an event says beyond its kind (EventDetails, as JSON).
ALTER TABLE items ADD COLUMN event_details TEXT;

CREATE TABLE wrap_up_reasons (
    id         INTEGER PRIMARY KEY,
    label      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    created_at INTEGER NOT NULL
);

-- Who may receive each feed event, decided when it is written (the conversation's audience
-- before and after the change), not when it is read.
CREATE TABLE event_audience (
    agent_id INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    PRIMARY KEY (agent_id, seq)
) WITHOUT ROWID;
CREATE INDEX event_audience_by_seq ON event_audience (seq);
INSERT INTO event_audience (agent_id, seq)
    SELECT m.agent_id, e.seq FROM events e JOIN inbox_members m ON m.inbox_id = e.inbox_id
    WHERE e.audience_id IS NULL OR e.audience_id = m.agent_id;
