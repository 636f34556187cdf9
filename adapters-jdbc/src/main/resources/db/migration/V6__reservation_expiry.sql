-- Reservations for any metric (R71): a hold may expire, and a commit records what it used.
-- A NULL expires_at never expires (a report run's reservation, which its own timeout ends, R26).
ALTER TABLE usage_reservations ADD COLUMN expires_at BIGINT;
ALTER TABLE usage_reservations ADD COLUMN committed_quantity NUMERIC(30,6);

-- Readers discount held reservations whose expiry has come (R71): this finds them without
-- reading the reservations that ended.
CREATE INDEX usage_reservations_held ON usage_reservations (user_id, state, expires_at);
