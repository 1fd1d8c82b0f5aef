-- Search. The words of messages and notes, and each contact's name, handle and phone digits,
-- are indexed by SQLite's full-text engine (FTS5). Triggers keep both indexes in the statement
-- that writes the row, so what is committed is found, and no write path can forget them.

-- Messages and notes, word by word, accent- and case-blind ("camion" finds "camión"). The
-- text is not copied: the index reads it from `items` (external content) for its snippets.
CREATE VIRTUAL TABLE items_search USING fts5 (
    text,
    content = 'items',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER items_search_insert AFTER INSERT ON items
WHEN new.kind = 'message' AND new.text IS NOT NULL AND new.text <> '' BEGIN
    INSERT INTO items_search (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER items_search_delete AFTER DELETE ON items
WHEN old.kind = 'message' AND old.text IS NOT NULL AND old.text <> '' BEGIN
    INSERT INTO items_search (items_search, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER items_search_update AFTER UPDATE OF kind, text ON items BEGIN
    INSERT INTO items_search (items_search, rowid, text)
    SELECT 'delete', old.id, old.text
    WHERE old.kind = 'message' AND old.text IS NOT NULL AND old.text <> '';
    INSERT INTO items_search (rowid, text)
    SELECT new.id, new.text
    WHERE new.kind = 'message' AND new.text IS NOT NULL AND new.text <> '';
END;

INSERT INTO items_search (rowid, text)
SELECT id, text FROM items WHERE kind = 'message' AND text IS NOT NULL AND text <> '';

-- Contacts, by any part of their name, handle or phone number: trigrams, so "6001122" finds
-- "+34 600 11 22 33" and "gonz" finds "González". `digits` is the handle's digits when the
-- handle is a phone number, so any formatting of the number matches.
ALTER TABLE contacts ADD COLUMN phone_digits TEXT GENERATED ALWAYS AS (CASE
    WHEN handle GLOB '+[0-9]*' OR handle GLOB '[0-9]*'
    THEN replace(replace(replace(replace(replace(replace(
        handle, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', '')
END) VIRTUAL;

CREATE VIRTUAL TABLE contacts_search USING fts5 (
    name,
    handle,
    digits,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, name, handle, digits)
    VALUES (new.id, new.name, new.handle, new.phone_digits);
END;

-- Each message of a known customer writes their name again: only a change reindexes them.
CREATE TRIGGER contacts_search_update AFTER UPDATE OF name, handle ON contacts
WHEN old.name IS NOT new.name OR old.handle IS NOT new.handle BEGIN
    DELETE FROM contacts_search WHERE rowid = old.id;
    INSERT INTO contacts_search (rowid, name, handle, digits)
    VALUES (new.id, new.name, new.handle, new.phone_digits);
END;

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_search WHERE rowid = old.id;
END;

INSERT INTO contacts_search (rowid, name, handle, digits)
SELECT id, name, handle, phone_digits
FROM contacts;
