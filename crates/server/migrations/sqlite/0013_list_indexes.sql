-- "Mine" and "Snoozed" (assigned to me) and "Unassigned" (assigned to nobody) are read newest
-- first from the assignee's own conversations: with the id in the index (the lists' tie-break)
-- the planner seeks (assignee, status) and walks in order, instead of walking every open
-- conversation of everyone by activity.
DROP INDEX conversations_by_assignee;
CREATE INDEX conversations_by_assignee ON conversations (assignee_id, status, last_activity_at DESC, id DESC);
