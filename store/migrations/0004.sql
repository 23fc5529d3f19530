-- Failed fetches are retried on later runs with a growing wait; an
-- attachment remembers the article page it was linked from.
ALTER TABLE resources ADD COLUMN article  TEXT;     -- for an attachment: the article URL that linked it
ALTER TABLE resources ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- failed attempts since the last success
ALTER TABLE resources ADD COLUMN next_try TEXT;     -- UTC; not retried before this
ALTER TABLE resources ADD COLUMN error    TEXT;     -- the last failure
