-- SimpleQueue. A pending job is leased when lease_token is set; available_at is then the lease
-- expiry, so one ordered index finds both fresh jobs and jobs whose worker died.
CREATE TABLE queue_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  payload TEXT NOT NULL,
  dedupe_key TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  lease_token TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX queue_jobs_next ON queue_jobs (queue, priority DESC, available_at, id) WHERE state = 'pending';
CREATE UNIQUE INDEX queue_jobs_dedupe ON queue_jobs (queue, dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL;
CREATE INDEX queue_jobs_dead ON queue_jobs (queue) WHERE state = 'dead';
