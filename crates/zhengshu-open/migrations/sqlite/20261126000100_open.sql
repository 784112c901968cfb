-- 数据开放: applications for conditionally opened datasets, the app keys of approved
-- applicants, and per-day usage counters (views, downloads, API calls) per dataset.
CREATE TABLE open_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    resource_id INTEGER NOT NULL REFERENCES catalog_resources(id),
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    provider_unit_id INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'revoked')),
    due_date TEXT NOT NULL,
    decided_by INTEGER,
    decided_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    valid_until TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX open_applications_user ON open_applications(user_id);
CREATE INDEX open_applications_provider ON open_applications(provider_unit_id, status);

CREATE TABLE open_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    rate_per_minute INTEGER NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX open_keys_user ON open_keys(user_id);

CREATE TABLE open_stats (
    day TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    downloads INTEGER NOT NULL DEFAULT 0,
    api_calls INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, resource_id)
);
CREATE INDEX open_stats_resource ON open_stats(resource_id);
