-- What the channel rules need to know about a conversation and its contact.
ALTER TABLE contacts ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN last_inbound_at INTEGER;
-- Our messages since the customer last wrote (Viber allows only so many).
ALTER TABLE conversations ADD COLUMN unanswered INTEGER NOT NULL DEFAULT 0;
-- Sent as a human agent's reply outside the window (Messenger, Instagram).
ALTER TABLE items ADD COLUMN human_agent INTEGER NOT NULL DEFAULT 0;

UPDATE conversations SET last_inbound_at = (
    SELECT MAX(created_at) FROM items
    WHERE items.conversation_id = conversations.id AND kind = 'message' AND direction = 'in'
);
UPDATE conversations SET unanswered = (
    SELECT COUNT(*) FROM items
    WHERE items.conversation_id = conversations.id AND kind = 'message' AND direction = 'out'
      AND items.id > conversations.last_inbound_id
);
