-- The names a plan's metrics are shown by where a person reads them: one line per named metric,
-- "metric=name", in the order the operator gave them. A metric key never holds '=' and a display
-- name never holds a line break (R64), so the text reads back as it was written. NULL: none.
ALTER TABLE plans ADD COLUMN metric_display_names VARCHAR(16384);
