-- Meters (R81): metrics defined from the records of a source metric. Filter and group-by are
-- lists of strings, each written as its length, a colon and its characters (so any character
-- reads back as written): the filter as dimension, count of values, values...; group_by as
-- dimensions.
CREATE TABLE meters (
    meter_key        VARCHAR(63)    PRIMARY KEY,
    source           VARCHAR(63)    NOT NULL,
    aggregation      VARCHAR(16)    NOT NULL,
    unique_dimension VARCHAR(64),
    filter_values    VARCHAR(100000) NOT NULL,
    group_by         VARCHAR(1000)  NOT NULL,
    name             VARCHAR(200),
    created_at       BIGINT         NOT NULL
);
CREATE INDEX meters_source ON meters (source);

-- One number that every change of meters raises: a write reads it, and reads the meters again
-- only when it changed, so a record no meter reads costs one primary-key read more at most.
CREATE TABLE meter_catalog (
    id      INT    PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO meter_catalog (id, version) VALUES (1, 0);

-- A latest meter's rollup remembers the occurred_at (nanoseconds) of the record that gave it.
ALTER TABLE usage_rollups ADD COLUMN latest_at BIGINT;

-- A unique_count meter's distinct values per (user, meter, period): '' for the meter's own set,
-- a group's key for a group's (R83). The insert that finds the value new is what counts it.
CREATE TABLE meter_distinct (
    user_id        VARCHAR(128)  NOT NULL,
    meter          VARCHAR(63)   NOT NULL,
    period_start   BIGINT        NOT NULL,
    period_end     BIGINT        NOT NULL,
    group_key      VARCHAR(1000) NOT NULL,
    distinct_value VARCHAR(200)  NOT NULL,
    PRIMARY KEY (user_id, meter, period_start, period_end, group_key, distinct_value)
);

-- A grouped meter's value per group (R83): at most 1 000 groups per (user, meter, period), the
-- records of later groups counted under the key '-' ("other").
CREATE TABLE meter_groups (
    user_id      VARCHAR(128)  NOT NULL,
    meter        VARCHAR(63)   NOT NULL,
    period_start BIGINT        NOT NULL,
    period_end   BIGINT        NOT NULL,
    group_key    VARCHAR(1000) NOT NULL,
    used         NUMERIC(30,6) NOT NULL DEFAULT 0,
    latest_at    BIGINT,
    PRIMARY KEY (user_id, meter, period_start, period_end, group_key)
);
