-- 共享交换: data-application scenarios, their access requests to catalog resources, the
-- grants that follow, the scenarios' API tokens, settings, and the hash-chained audit log.
CREATE TABLE share_scenarios (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    contact_phone TEXT NOT NULL,
    systems TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_by BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX share_scenarios_unit ON share_scenarios(unit_id);

CREATE TABLE share_requests (
    id BIGSERIAL PRIMARY KEY,
    scenario_id BIGINT NOT NULL REFERENCES share_scenarios(id),
    resource_id BIGINT NOT NULL REFERENCES catalog_resources(id),
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    provider_unit_id BIGINT NOT NULL,
    columns TEXT NOT NULL,
    raw_columns TEXT NOT NULL DEFAULT '',
    row_filter TEXT NOT NULL DEFAULT '[]',
    purpose TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'refused', 'withdrawn')),
    due_date TEXT,
    escalated_at TEXT,
    decided_by BIGINT,
    decided_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    grant_id BIGINT,
    created_by BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX share_requests_scenario ON share_requests(scenario_id);
CREATE INDEX share_requests_provider ON share_requests(provider_unit_id, status);

CREATE TABLE share_grants (
    id BIGSERIAL PRIMARY KEY,
    scenario_id BIGINT NOT NULL REFERENCES share_scenarios(id),
    resource_id BIGINT NOT NULL REFERENCES catalog_resources(id),
    resource_code TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    provider_unit_id BIGINT NOT NULL,
    request_id BIGINT NOT NULL REFERENCES share_requests(id),
    columns TEXT NOT NULL,
    raw_columns TEXT NOT NULL DEFAULT '',
    row_filter TEXT NOT NULL DEFAULT '[]',
    valid_until TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by BIGINT,
    revoke_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX share_grants_scenario ON share_grants(scenario_id);
CREATE INDEX share_grants_provider ON share_grants(provider_unit_id);

CREATE TABLE share_tokens (
    id BIGSERIAL PRIMARY KEY,
    scenario_id BIGINT NOT NULL REFERENCES share_scenarios(id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    rate_per_minute BIGINT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT,
    created_by BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX share_tokens_scenario ON share_tokens(scenario_id);

CREATE TABLE share_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO share_settings (key, value) VALUES ('review_working_days', '5');
INSERT INTO share_settings (key, value) VALUES ('max_grant_days', '1095');
INSERT INTO share_settings (key, value) VALUES ('default_rate_per_minute', '600');

-- Append-only: the writer assigns seq contiguously from 1; each record's hash covers its
-- fields and the previous record's hash (see src/audit.rs). The head is also anchored in
-- the lake's object store (_zhengshu/audit/head.json), so deleting the tail is detected.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    scenario_id BIGINT,
    token_id BIGINT,
    user_ref TEXT,
    actor_user_id BIGINT,
    resource_id BIGINT,
    provider_unit_id BIGINT,
    detail TEXT NOT NULL,
    rows_returned BIGINT,
    bytes BIGINT,
    duration_us BIGINT,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
-- Usage statistics select by time (`at >= day`); `at` grows with seq.
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_scenario ON audit_log(scenario_id);
CREATE INDEX audit_log_provider ON audit_log(provider_unit_id);
