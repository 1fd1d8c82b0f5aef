-- Who wrote a conversation's latest message, so the list can say "You:" only for one's own.
ALTER TABLE conversations ADD COLUMN last_message_author_id INTEGER REFERENCES agents (id);
