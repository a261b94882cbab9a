-- Accounts are the tenancy unit every RBAC decision is scoped to.
CREATE TABLE enterprise.accounts (
  name TEXT PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('admin', 'user', 'service')),
  state TEXT NOT NULL DEFAULT 'enabled' CHECK (state IN ('enabled', 'disabled', 'deleting')),
  email TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
