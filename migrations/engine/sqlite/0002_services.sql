-- Every airlock process registers the roles it runs and heartbeats here.
CREATE TABLE services (
  instance_id TEXT PRIMARY KEY,
  roles TEXT NOT NULL,
  hostname TEXT NOT NULL,
  pid INTEGER NOT NULL,
  version TEXT NOT NULL,
  listen TEXT,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
