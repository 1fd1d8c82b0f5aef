-- A failed message sent again starts a new attempt (see Message::attempt in the protocol).
ALTER TABLE items ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
