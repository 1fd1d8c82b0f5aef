-- Every agent's counts, kept by the triggers below in the statement that makes a change (so in
-- its transaction) instead of recounted for each change: one row per agent and group (what a
-- view looks at of a conversation; the channel is the inbox's). 0 stands for no assignee and
-- no team, so that the key has no NULLs (a unique key never conflicts on NULL), and -1 for
-- "assigned to someone else": views only ask whether it is nobody's or mine, and a supervisor
-- would otherwise have a row per colleague.
--
-- This file is the one place that maps a change to deltas. A conversation counts for everyone
-- who may see it (`store::access`: its inbox's members, its team's members, its assignee), as
-- unread when its newest customer message is past their read mark. `store::counts::recount`
-- is the same count done the slow way, and the tests hold the two together.
CREATE TABLE agent_counts (
    agent_id    INTEGER NOT NULL,
    inbox_id    INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    assignee_id INTEGER NOT NULL,
    team_id     INTEGER NOT NULL,
    snoozed     INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    unread      INTEGER NOT NULL,
    PRIMARY KEY (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
) WITHOUT ROWID;

INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
SELECT a.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = a.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
       c.snoozed_until IS NOT NULL, COUNT(*), SUM(c.last_inbound_id > COALESCE(r.last_read_id, 0))
FROM (SELECT m.agent_id, c.id AS conversation_id FROM conversations c JOIN inbox_members m ON m.inbox_id = c.inbox_id
      UNION SELECT t.agent_id, c.id FROM conversations c JOIN team_members t ON t.team_id = c.team_id
      UNION SELECT c.assignee_id, c.id FROM conversations c WHERE c.assignee_id IS NOT NULL) a
JOIN conversations c ON c.id = a.conversation_id
LEFT JOIN read_state r ON r.agent_id = a.agent_id AND r.conversation_id = c.id
WHERE true
GROUP BY 1, 2, 3, 4, 5, 6;

-- A new conversation counts for its audience.
CREATE TRIGGER agent_counts_conversation_added AFTER INSERT ON conversations
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT a.agent_id, NEW.inbox_id, NEW.status, CASE WHEN NEW.assignee_id IS NULL THEN 0 WHEN NEW.assignee_id = a.agent_id THEN NEW.assignee_id ELSE -1 END, COALESCE(NEW.team_id, 0),
           NEW.snoozed_until IS NOT NULL, 1,
           NEW.last_inbound_id > COALESCE((SELECT r.last_read_id FROM read_state r
                                           WHERE r.agent_id = a.agent_id AND r.conversation_id = NEW.id), 0)
    FROM (SELECT agent_id FROM inbox_members WHERE inbox_id = NEW.inbox_id
          UNION SELECT agent_id FROM team_members WHERE team_id = NEW.team_id
          UNION SELECT NEW.assignee_id WHERE NEW.assignee_id IS NOT NULL) a
    WHERE true
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;

-- A conversation that changed group, audience or newest customer message: out of its old
-- group for its old audience, into its new group for its new one.
CREATE TRIGGER agent_counts_conversation_changed
AFTER UPDATE OF inbox_id, status, assignee_id, team_id, snoozed_until, last_inbound_id ON conversations
WHEN OLD.inbox_id IS NOT NEW.inbox_id OR OLD.status IS NOT NEW.status
  OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.team_id IS NOT NEW.team_id
  OR (OLD.snoozed_until IS NULL) <> (NEW.snoozed_until IS NULL)
  OR OLD.last_inbound_id IS NOT NEW.last_inbound_id
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT a.agent_id, OLD.inbox_id, OLD.status, CASE WHEN OLD.assignee_id IS NULL THEN 0 WHEN OLD.assignee_id = a.agent_id THEN OLD.assignee_id ELSE -1 END, COALESCE(OLD.team_id, 0),
           OLD.snoozed_until IS NOT NULL, -1,
           -(OLD.last_inbound_id > COALESCE((SELECT r.last_read_id FROM read_state r
                                             WHERE r.agent_id = a.agent_id AND r.conversation_id = OLD.id), 0))
    FROM (SELECT agent_id FROM inbox_members WHERE inbox_id = OLD.inbox_id
          UNION SELECT agent_id FROM team_members WHERE team_id = OLD.team_id
          UNION SELECT OLD.assignee_id WHERE OLD.assignee_id IS NOT NULL) a
    WHERE true
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT a.agent_id, NEW.inbox_id, NEW.status, CASE WHEN NEW.assignee_id IS NULL THEN 0 WHEN NEW.assignee_id = a.agent_id THEN NEW.assignee_id ELSE -1 END, COALESCE(NEW.team_id, 0),
           NEW.snoozed_until IS NOT NULL, 1,
           NEW.last_inbound_id > COALESCE((SELECT r.last_read_id FROM read_state r
                                           WHERE r.agent_id = a.agent_id AND r.conversation_id = NEW.id), 0)
    FROM (SELECT agent_id FROM inbox_members WHERE inbox_id = NEW.inbox_id
          UNION SELECT agent_id FROM team_members WHERE team_id = NEW.team_id
          UNION SELECT NEW.assignee_id WHERE NEW.assignee_id IS NOT NULL) a
    WHERE true
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;

-- A read mark that moved (either way) changes whether the conversation is unread for that
-- agent, if they see it.
CREATE TRIGGER agent_counts_read_added AFTER INSERT ON read_state
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT NEW.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = NEW.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
           c.snoozed_until IS NOT NULL, 0,
           (c.last_inbound_id > NEW.last_read_id) - (c.last_inbound_id > 0)
    FROM conversations c
    WHERE c.id = NEW.conversation_id
      AND (EXISTS (SELECT 1 FROM inbox_members m WHERE m.inbox_id = c.inbox_id AND m.agent_id = NEW.agent_id)
           OR EXISTS (SELECT 1 FROM team_members t WHERE t.team_id = c.team_id AND t.agent_id = NEW.agent_id)
           OR c.assignee_id = NEW.agent_id)
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET unread = unread + excluded.unread;
END;

CREATE TRIGGER agent_counts_read_moved AFTER UPDATE OF last_read_id ON read_state
WHEN OLD.last_read_id <> NEW.last_read_id
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT NEW.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = NEW.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
           c.snoozed_until IS NOT NULL, 0,
           (c.last_inbound_id > NEW.last_read_id) - (c.last_inbound_id > OLD.last_read_id)
    FROM conversations c
    WHERE c.id = NEW.conversation_id
      AND (EXISTS (SELECT 1 FROM inbox_members m WHERE m.inbox_id = c.inbox_id AND m.agent_id = NEW.agent_id)
           OR EXISTS (SELECT 1 FROM team_members t WHERE t.team_id = c.team_id AND t.agent_id = NEW.agent_id)
           OR c.assignee_id = NEW.agent_id)
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET unread = unread + excluded.unread;
END;

-- Joining or leaving an inbox: its conversations the agent does not see another way (their
-- team's queue, assigned to them) come into or go out of their counts. Only that inbox's
-- conversations are read (by `conversations_by_inbox`), not everything the agent sees.
CREATE TRIGGER agent_counts_inbox_joined AFTER INSERT ON inbox_members
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT NEW.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = NEW.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
           c.snoozed_until IS NOT NULL, COUNT(*), SUM(c.last_inbound_id > COALESCE(r.last_read_id, 0))
    FROM conversations c
    LEFT JOIN read_state r ON r.agent_id = NEW.agent_id AND r.conversation_id = c.id
    WHERE c.inbox_id = NEW.inbox_id AND c.assignee_id IS NOT NEW.agent_id
      AND NOT EXISTS (SELECT 1 FROM team_members t WHERE t.team_id = c.team_id AND t.agent_id = NEW.agent_id)
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;

CREATE TRIGGER agent_counts_inbox_left AFTER DELETE ON inbox_members
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT OLD.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = OLD.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
           c.snoozed_until IS NOT NULL, -COUNT(*), -SUM(c.last_inbound_id > COALESCE(r.last_read_id, 0))
    FROM conversations c
    LEFT JOIN read_state r ON r.agent_id = OLD.agent_id AND r.conversation_id = c.id
    WHERE c.inbox_id = OLD.inbox_id AND c.assignee_id IS NOT OLD.agent_id
      AND NOT EXISTS (SELECT 1 FROM team_members t WHERE t.team_id = c.team_id AND t.agent_id = OLD.agent_id)
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;

-- Joining or leaving a team: the same for the team's queue, less what the agent's inboxes or
-- assignments show them anyway.
CREATE TRIGGER agent_counts_team_joined AFTER INSERT ON team_members
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT NEW.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = NEW.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
           c.snoozed_until IS NOT NULL, COUNT(*), SUM(c.last_inbound_id > COALESCE(r.last_read_id, 0))
    FROM conversations c
    LEFT JOIN read_state r ON r.agent_id = NEW.agent_id AND r.conversation_id = c.id
    WHERE c.team_id = NEW.team_id AND c.assignee_id IS NOT NEW.agent_id
      AND NOT EXISTS (SELECT 1 FROM inbox_members m WHERE m.inbox_id = c.inbox_id AND m.agent_id = NEW.agent_id)
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;

CREATE TRIGGER agent_counts_team_left AFTER DELETE ON team_members
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT OLD.agent_id, c.inbox_id, c.status, CASE WHEN c.assignee_id IS NULL THEN 0 WHEN c.assignee_id = OLD.agent_id THEN c.assignee_id ELSE -1 END, COALESCE(c.team_id, 0),
           c.snoozed_until IS NOT NULL, -COUNT(*), -SUM(c.last_inbound_id > COALESCE(r.last_read_id, 0))
    FROM conversations c
    LEFT JOIN read_state r ON r.agent_id = OLD.agent_id AND r.conversation_id = c.id
    WHERE c.team_id = OLD.team_id AND c.assignee_id IS NOT OLD.agent_id
      AND NOT EXISTS (SELECT 1 FROM inbox_members m WHERE m.inbox_id = c.inbox_id AND m.agent_id = OLD.agent_id)
    GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET total = total + excluded.total, unread = unread + excluded.unread;
END;
