-- A customer's new message in a conversation that stays in its group (the common case: the
-- next message of an open conversation) moves no total and flips "unread" only for the
-- agents who had read it all. The trigger of 0012 took the conversation out of its group and
-- put it back for its whole audience, two writes an agent; this one writes only the agents
-- whose unread count moves. A change of group (with or without a new message) is still
-- 0012's, which counts unread from the old and new values in full.
DROP TRIGGER agent_counts_conversation_changed;

CREATE TRIGGER agent_counts_conversation_changed
AFTER UPDATE OF inbox_id, status, assignee_id, team_id, snoozed_until ON conversations
WHEN OLD.inbox_id IS NOT NEW.inbox_id OR OLD.status IS NOT NEW.status
  OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.team_id IS NOT NEW.team_id
  OR (OLD.snoozed_until IS NULL) <> (NEW.snoozed_until IS NULL)
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

CREATE TRIGGER agent_counts_conversation_new_inbound
AFTER UPDATE OF last_inbound_id ON conversations
WHEN OLD.last_inbound_id IS NOT NEW.last_inbound_id
  AND OLD.inbox_id IS NEW.inbox_id AND OLD.status IS NEW.status
  AND OLD.assignee_id IS NEW.assignee_id AND OLD.team_id IS NEW.team_id
  AND (OLD.snoozed_until IS NULL) = (NEW.snoozed_until IS NULL)
BEGIN
    INSERT INTO agent_counts (agent_id, inbox_id, status, assignee_id, team_id, snoozed, total, unread)
    SELECT f.agent_id, NEW.inbox_id, NEW.status, CASE WHEN NEW.assignee_id IS NULL THEN 0 WHEN NEW.assignee_id = f.agent_id THEN NEW.assignee_id ELSE -1 END, COALESCE(NEW.team_id, 0),
           NEW.snoozed_until IS NOT NULL, 0, f.flip
    FROM (SELECT a.agent_id,
                 (NEW.last_inbound_id > COALESCE(r.last_read_id, 0))
                 - (OLD.last_inbound_id > COALESCE(r.last_read_id, 0)) AS flip
          FROM (SELECT agent_id FROM inbox_members WHERE inbox_id = NEW.inbox_id
                UNION SELECT agent_id FROM team_members WHERE team_id = NEW.team_id
                UNION SELECT NEW.assignee_id WHERE NEW.assignee_id IS NOT NULL) a
          LEFT JOIN read_state r ON r.agent_id = a.agent_id AND r.conversation_id = NEW.id) f
    WHERE f.flip <> 0
    ON CONFLICT (agent_id, inbox_id, status, assignee_id, team_id, snoozed)
    DO UPDATE SET unread = unread + excluded.unread;
END;
