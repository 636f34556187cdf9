-- Plans for real customers (R73): features on plans, per-user overrides of a plan, and plan
-- changes booked for a later instant.

-- A plan's features, one line per feature, "key=b:true", "key=n:90" or "key=s:text", in the order
-- the operator gave them. A key never holds '=' and a text value never holds a line break, so the
-- text reads back as it was written. NULL: none.
ALTER TABLE plans ADD COLUMN features VARCHAR(32768);

-- A user's override of its plan, key by key: one line per key, "limit:<metric>=<max|unlimited>",
-- "allocation:<metric>=<max|unlimited>" or "feature:<key>=<value as in plans.features>". It belongs
-- to the user, not the plan, so it survives plan changes. expires_at: nanoseconds since the epoch,
-- NULL for an override that does not expire; an expired row stops applying at its instant
-- whether or not anything has deleted it.
CREATE TABLE plan_overrides (
    user_id    VARCHAR(128)   NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    terms      VARCHAR(65536) NOT NULL,
    expires_at BIGINT
);

-- A user's plan change booked for an instant (nanoseconds since the epoch): from that instant on
-- the user is on plan_id, read lazily, whether or not anything has written it down.
CREATE TABLE scheduled_plan_changes (
    user_id  VARCHAR(128) NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    plan_id  VARCHAR(64)  NOT NULL REFERENCES plans (id),
    apply_at BIGINT       NOT NULL
);
