-- Allocations (R72): current counts such as seats or projects, limited per plan and never reset
-- by a billing period.

-- A plan's limit row is either a metered limit (per period) or an allocation limit.
ALTER TABLE plan_limits ADD COLUMN allocation BOOLEAN NOT NULL DEFAULT FALSE;

-- The current value of each allocation of each user. A change is one conditional UPDATE of its
-- row (allocated + delta within the limit and not below zero): the row lock serialises writers on one
-- node or many, as the usage rollups do (R13).
CREATE TABLE user_allocations (
    user_id   VARCHAR(128)  NOT NULL,
    metric    VARCHAR(63)   NOT NULL,
    allocated NUMERIC(30,6) NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, metric),
    CONSTRAINT user_allocations_value_not_negative CHECK (allocated >= 0)
);
