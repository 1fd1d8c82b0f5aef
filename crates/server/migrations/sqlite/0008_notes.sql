-- Private notes live in the thread beside messages but never reach the customer.
ALTER TABLE items ADD COLUMN note INTEGER NOT NULL DEFAULT 0;
