-- An embedder's own first migration: a table of its own, and one named like Tally's, to show that
-- the two schemas (and the two Flyway histories) never meet.
CREATE TABLE orders (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64) NOT NULL);
CREATE TABLE usage_facts (note VARCHAR(64));
