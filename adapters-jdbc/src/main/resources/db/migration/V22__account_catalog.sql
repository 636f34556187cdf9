-- One number that every change of users, plans, plan limits and users' terms replaces by a new
-- one drawn at random (so that a rolled-back change's number never comes back), in the change's
-- own transaction: a node may answer a decision's read of a user, its plan and its terms
-- from what it read before while this number is unchanged, checked with one primary-key read per
-- decision, so a change committed before a decision began is seen by it on every node (R14, R73).
CREATE TABLE account_catalog (
    id      INT    PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO account_catalog (id, version) VALUES (1, 0);
