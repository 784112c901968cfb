-- 政务数据资源目录: data resources, their data items, versions, and the change sequence
-- that keeps every instance's search index in step.
CREATE TABLE catalog_resources (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    summary TEXT NOT NULL,
    catalog_type TEXT NOT NULL,
    classification TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    provider_unit_id BIGINT NOT NULL REFERENCES units(id),
    format TEXT NOT NULL,
    sharing_type TEXT NOT NULL,
    sharing_conditions TEXT NOT NULL DEFAULT '',
    sharing_basis TEXT NOT NULL DEFAULT '',
    share_method TEXT NOT NULL,
    open_type TEXT NOT NULL,
    open_conditions TEXT NOT NULL DEFAULT '',
    open_basis TEXT NOT NULL DEFAULT '',
    update_cycle TEXT NOT NULL,
    security_grade TEXT NOT NULL,
    publish_date TEXT,
    related_codes TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'published', 'deprecated')),
    review_comment TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT,
    submitted_by BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX catalog_resources_unit ON catalog_resources(provider_unit_id);
CREATE INDEX catalog_resources_status ON catalog_resources(status);
CREATE INDEX catalog_resources_code_prefix ON catalog_resources(classification, provider_unit_id);

CREATE TABLE catalog_items (
    id BIGSERIAL PRIMARY KEY,
    resource_id BIGINT NOT NULL REFERENCES catalog_resources(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    data_type TEXT NOT NULL,
    length BIGINT,
    description TEXT NOT NULL DEFAULT '',
    pii_kind TEXT NOT NULL DEFAULT 'none',
    UNIQUE (resource_id, name)
);
CREATE INDEX catalog_items_resource ON catalog_items(resource_id, position);

CREATE TABLE catalog_versions (
    id BIGSERIAL PRIMARY KEY,
    resource_id BIGINT NOT NULL REFERENCES catalog_resources(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (resource_id, version)
);

-- One row per change of a resource (resource_id NULL = rebuild the whole index).
CREATE TABLE catalog_changes (
    seq BIGSERIAL PRIMARY KEY,
    resource_id BIGINT,
    created_at TEXT NOT NULL
);
