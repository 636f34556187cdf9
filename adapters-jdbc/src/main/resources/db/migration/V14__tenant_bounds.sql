-- No tenant can slow the others (R67).

-- How many rollups (distinct metrics) each (user, period) has. A write that creates rollups raises
-- it in the same transaction by one conditional UPDATE, so a bound on new metrics holds exactly
-- under concurrent writers on any number of nodes, as the rollups' own conditional writes do (R13).
CREATE TABLE usage_period_metrics (
    user_id      VARCHAR(128) NOT NULL,
    period_start BIGINT       NOT NULL,
    period_end   BIGINT       NOT NULL,
    metrics      INTEGER      NOT NULL,
    PRIMARY KEY (user_id, period_start, period_end)
);

INSERT INTO usage_period_metrics (user_id, period_start, period_end, metrics)
SELECT user_id, period_start, period_end, COUNT(*) FROM usage_rollups GROUP BY user_id, period_start, period_end;

-- A plan's bound of distinct metrics per user and period; NULL leaves it to the server's default.
ALTER TABLE plans ADD COLUMN max_metrics INTEGER;

-- Events a client can cause at will (run.completed) are counted per user and type in windows of a
-- minute: one row, raised by one conditional UPDATE in the transaction that records the event, so
-- the rate bound holds exactly on any number of nodes; past it, one events.coalesced stands for
-- the rest of the window.
CREATE TABLE event_rates (
    user_id      VARCHAR(128) NOT NULL,
    type         VARCHAR(40)  NOT NULL,
    window_start BIGINT       NOT NULL,
    events       INTEGER      NOT NULL,
    PRIMARY KEY (user_id, type)
);
