-- A record may carry 20 dimensions of up to 64 + 200 characters; written as JSON, control
-- characters take six characters each, so the worst case is about 32 000 characters.
ALTER TABLE usage_facts ALTER COLUMN dimensions SET DATA TYPE VARCHAR(100000);
