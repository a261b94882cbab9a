-- The isolated feed store. vulnerabilities keeps every normalized record whole (what export
-- writes back out); the other tables are lookup indexes derived from it at load time.
CREATE TABLE vulnerabilities (
  driver TEXT NOT NULL,
  namespace TEXT NOT NULL,
  id TEXT NOT NULL,
  severity TEXT NOT NULL,
  modified TEXT,
  record TEXT NOT NULL,
  PRIMARY KEY (driver, namespace, id)
);
CREATE TABLE affected_packages (
  namespace TEXT NOT NULL,
  package TEXT NOT NULL,
  vuln_id TEXT NOT NULL,
  driver TEXT NOT NULL,
  scheme TEXT NOT NULL,
  fix_state TEXT NOT NULL,
  -- The first fixed-in version; with detail NULL the range is simply "below fixed_version"
  -- (or every version when fixed_version is NULL too), the shape of nearly every distro row.
  fixed_version TEXT,
  -- JSON {ranges, versions, fix} when the range is anything else (advisories stay in the record).
  detail TEXT
);
CREATE INDEX affected_packages_lookup ON affected_packages (namespace, package);
CREATE INDEX affected_packages_vuln ON affected_packages (driver, namespace, vuln_id);
CREATE TABLE vulnerability_aliases (
  alias TEXT NOT NULL,
  namespace TEXT NOT NULL,
  vuln_id TEXT NOT NULL,
  driver TEXT NOT NULL
);
CREATE INDEX vulnerability_aliases_alias ON vulnerability_aliases (alias);
CREATE INDEX vulnerability_aliases_vuln ON vulnerability_aliases (driver, namespace, vuln_id);
CREATE TABLE cpe_products (
  vendor TEXT NOT NULL,
  product TEXT NOT NULL,
  namespace TEXT NOT NULL,
  vuln_id TEXT NOT NULL,
  driver TEXT NOT NULL
);
CREATE INDEX cpe_products_lookup ON cpe_products (vendor, product);
CREATE INDEX cpe_products_vuln ON cpe_products (driver, namespace, vuln_id);
CREATE TABLE kev (
  cve_id TEXT PRIMARY KEY,
  driver TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE TABLE epss (
  cve_id TEXT PRIMARY KEY,
  driver TEXT NOT NULL,
  epss DOUBLE PRECISION NOT NULL,
  percentile DOUBLE PRECISION NOT NULL,
  record TEXT NOT NULL
);
-- One row per driver: its sync state and the fingerprint that makes the next fetch conditional.
CREATE TABLE feed_drivers (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  last_sync TEXT,
  fetched_at TEXT,
  fingerprint TEXT,
  last_error TEXT
);
-- What GET /v1/system/feeds shows: per driver and group, the record count and upstream age.
CREATE TABLE feed_groups (
  driver TEXT NOT NULL,
  name TEXT NOT NULL,
  records INTEGER NOT NULL,
  fetched_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (driver, name)
);
-- The snapshot this store holds (one row).
CREATE TABLE feed_snapshot (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  source TEXT NOT NULL
);
-- Every import attempt, carried over into each new store at swap time.
CREATE TABLE feed_imports (
  snapshot_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  bundle TEXT NOT NULL,
  bundle_sha256 TEXT NOT NULL,
  key_id TEXT NOT NULL,
  records INTEGER NOT NULL,
  seconds DOUBLE PRECISION NOT NULL
);
