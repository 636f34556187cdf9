-- Rate limits beside period limits (R90). A plan's rate_limits: one line per rated metric,
-- "metric=limit/per_seconds/burst", in the order the operator gave them; NULL: none.
ALTER TABLE plans ADD COLUMN rate_limits VARCHAR(16384);

-- One cell per (user, metric): the theoretical arrival time of the next cell, in ticks of
-- 1/tat_limit nanoseconds since the epoch (tat_limit is the limit the ticks were counted for), so
-- that every figure is a whole number. Changed only by one conditional UPDATE per decision.
CREATE TABLE rate_cells (
    user_id   VARCHAR(128)   NOT NULL,
    metric    VARCHAR(63)    NOT NULL,
    tat       DECIMAL(38, 0) NOT NULL,
    tat_limit BIGINT         NOT NULL,
    PRIMARY KEY (user_id, metric),
    CONSTRAINT rate_cells_limit_positive CHECK (tat_limit > 0)
);
