-- Reads for pages (R52, R53).
-- A metric's series reads the facts of one (user, metric, period), in time order, from the index
-- alone: its cost grows with that period's records, never with the user's history.
CREATE INDEX usage_facts_series ON usage_facts (user_id, metric, period_start, period_end, occurred_at, quantity);

-- The operator's list reads the rollups of every user's current period: those whose period ends
-- after now. Past periods, however many, are never read.
CREATE INDEX usage_rollups_current ON usage_rollups (period_end, period_start);
