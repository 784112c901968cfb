-- 数据湖: which catalog resource has which Delta table, its quality rules, ingest jobs
-- (one per batch id), quarantined rows and scheduled pulls from units' databases.
CREATE TABLE lake_tables (
    resource_id BIGINT PRIMARY KEY REFERENCES catalog_resources(id),
    table_name TEXT NOT NULL UNIQUE,
    key_column TEXT NOT NULL DEFAULT '',
    transforms TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    created_by BIGINT
);

CREATE TABLE lake_rules (
    id BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL REFERENCES lake_tables(table_name),
    column_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    spec TEXT NOT NULL,
    blocking BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX lake_rules_table ON lake_rules(table_name);

CREATE TABLE lake_jobs (
    id BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL REFERENCES lake_tables(table_name),
    batch_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_written BIGINT NOT NULL DEFAULT 0,
    rows_quarantined BIGINT NOT NULL DEFAULT 0,
    bytes_read BIGINT NOT NULL DEFAULT 0,
    version BIGINT,
    quality_bp BIGINT,
    error TEXT NOT NULL DEFAULT '',
    report TEXT NOT NULL DEFAULT '{}',
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    created_by BIGINT
);
-- A batch id applies once; a failed attempt may be retried under the same id.
CREATE UNIQUE INDEX lake_jobs_batch ON lake_jobs(table_name, batch_id) WHERE status <> 'failed';
CREATE INDEX lake_jobs_started ON lake_jobs(started_at);

CREATE TABLE lake_quarantine (
    id BIGSERIAL PRIMARY KEY,
    job_id BIGINT NOT NULL REFERENCES lake_jobs(id),
    line BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL
);
CREATE INDEX lake_quarantine_job ON lake_quarantine(job_id, line);

CREATE TABLE lake_pulls (
    id BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL REFERENCES lake_tables(table_name),
    source_url TEXT NOT NULL,
    query TEXT NOT NULL,
    watermark_column TEXT NOT NULL DEFAULT '',
    last_watermark TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT 'append',
    enabled BIGINT NOT NULL DEFAULT 1,
    last_run_at TEXT,
    last_job_id BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
