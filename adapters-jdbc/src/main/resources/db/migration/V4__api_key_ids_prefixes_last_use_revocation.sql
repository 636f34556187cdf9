-- API keys listed and revoked by the operator (R63): a public id, the first characters of the
-- plaintext to recognise a key by, when it was last used and when it was revoked.
ALTER TABLE api_keys ADD COLUMN id VARCHAR(40);
ALTER TABLE api_keys ADD COLUMN prefix VARCHAR(16);
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;

-- Keys stored before this version get an id from their hash (new keys get a random one); their
-- plaintext was never stored, so they have no prefix.
UPDATE api_keys SET id = 'key_' || SUBSTRING(key_hash, 1, 24) WHERE id IS NULL;
ALTER TABLE api_keys ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX api_keys_id ON api_keys (id);
