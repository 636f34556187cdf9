-- Webhooks (R77): each claim of a delivery carries a token that the record of its attempt must
-- still hold, so an attempt made under a lease that ran out (and was claimed again by another
-- node) is never recorded; a redelivery asked during an attempt waits for it (again_after_attempt)
-- instead of lifting its lease; and no delivery has two attempt rows of one number.
ALTER TABLE webhook_deliveries ADD COLUMN claim BIGINT;
ALTER TABLE webhook_deliveries ADD COLUMN again_after_attempt BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE webhook_attempts ADD COLUMN delivery_id BIGINT;

UPDATE webhook_attempts SET delivery_id = (SELECT d.id FROM webhook_deliveries d
    WHERE d.event_id = webhook_attempts.event_id AND d.endpoint_id = webhook_attempts.endpoint_id);

-- An attempt recorded twice before this version keeps its first row as the attempt; the later
-- rows stay in the endpoint's log, apart from the delivery.
UPDATE webhook_attempts SET delivery_id = NULL WHERE EXISTS (SELECT 1 FROM webhook_attempts earlier
    WHERE earlier.delivery_id = webhook_attempts.delivery_id AND earlier.attempt = webhook_attempts.attempt
    AND earlier.id < webhook_attempts.id);

CREATE UNIQUE INDEX webhook_attempts_once ON webhook_attempts (delivery_id, attempt);

-- A claim looks at each endpoint's oldest due delivery and counts its leased ones.
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, state, next_attempt_at);
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (endpoint_id, lease_until);
