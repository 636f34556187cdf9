-- A fact's id only tells rows apart (nothing orders or pages by it), so each connection may take
-- ids in blocks of 1000 instead of 32. On H2 every block taken is a commit of its own, one more
-- store of the whole file, in the middle of an insert: with blocks of 32 that was a large share
-- of the cost of storing a fact (issue 10's profile). Ids lost with a block at a restart are gaps.
ALTER TABLE usage_facts ALTER COLUMN id SET CACHE 1000;
