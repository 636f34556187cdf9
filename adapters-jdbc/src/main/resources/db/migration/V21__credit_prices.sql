-- Credit-priced metrics (R38). A plan's credit_prices: one line per priced metric,
-- "metric=credits per unit", in the order the operator gave them; NULL: none.
ALTER TABLE plans ADD COLUMN credit_prices VARCHAR(16384);
