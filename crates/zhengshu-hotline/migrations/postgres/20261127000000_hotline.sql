-- 12345 hotline work orders (工单) and the Open311 GeoReport v2 API keys.
CREATE TABLE hotline_orders (
    id BIGSERIAL PRIMARY KEY,
    order_no TEXT NOT NULL UNIQUE,
    token TEXT UNIQUE,
    channel TEXT NOT NULL,
    caller_name TEXT NOT NULL DEFAULT '',
    caller_phone TEXT NOT NULL DEFAULT '',
    appeal_type TEXT NOT NULL,
    category_code TEXT NOT NULL,
    urgency TEXT NOT NULL,
    content TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    attributes TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL,
    lead_unit_id BIGINT,
    created_at TEXT NOT NULL,
    created_day TEXT NOT NULL,
    created_by BIGINT,
    api_key_id BIGINT,
    dispatched_at TEXT,
    sign_due_at TEXT,
    return_due_at TEXT,
    signed_at TEXT,
    due_at TEXT,
    closed_at TEXT,
    reply TEXT,
    extension_days BIGINT NOT NULL DEFAULT 0,
    reopen_count BIGINT NOT NULL DEFAULT 0,
    callback_due_at TEXT,
    called_back_at TEXT,
    satisfaction TEXT,
    merged_into BIGINT,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX hotline_orders_state_due ON hotline_orders(state, due_at);
CREATE INDEX hotline_orders_unit_state ON hotline_orders(lead_unit_id, state);
CREATE INDEX hotline_orders_street_created ON hotline_orders(street, created_at);
CREATE INDEX hotline_orders_created ON hotline_orders(created_at);
CREATE INDEX hotline_orders_category ON hotline_orders(category_code, id);

CREATE TABLE hotline_co_units (
    order_id BIGINT NOT NULL REFERENCES hotline_orders(id) ON DELETE CASCADE,
    unit_id BIGINT NOT NULL,
    part TEXT,
    replied_at TEXT,
    PRIMARY KEY (order_id, unit_id)
);
CREATE INDEX hotline_co_units_unit ON hotline_co_units(unit_id);

-- Every state change, with who and when.
CREATE TABLE hotline_events (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES hotline_orders(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    unit_id BIGINT,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotline_events_order ON hotline_events(order_id, id);

CREATE TABLE hotline_extensions (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES hotline_orders(id) ON DELETE CASCADE,
    days BIGINT NOT NULL,
    reason TEXT NOT NULL,
    requested_by BIGINT,
    requested_at TEXT NOT NULL,
    decision TEXT,
    decided_by BIGINT,
    decided_at TEXT,
    decision_note TEXT
);
CREATE INDEX hotline_extensions_order ON hotline_extensions(order_id);

-- 督办: supervision notices.
CREATE TABLE hotline_supervisions (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES hotline_orders(id) ON DELETE CASCADE,
    unit_id BIGINT,
    note TEXT NOT NULL,
    created_by BIGINT,
    created_at TEXT NOT NULL
);
CREATE INDEX hotline_supervisions_order ON hotline_supervisions(order_id);

-- 办理时限: configurable deadlines (see README for the keys and defaults).
CREATE TABLE hotline_deadline_rules (
    rule_key TEXT PRIMARY KEY,
    amount BIGINT NOT NULL,
    unit TEXT NOT NULL CHECK (unit IN ('working_days', 'hours')),
    updated_at TEXT NOT NULL,
    updated_by BIGINT
);
INSERT INTO hotline_deadline_rules (rule_key, amount, unit, updated_at) VALUES
    ('sign', 1, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('return', 2, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('extension_max', 10, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('callback', 1, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.consultation.normal', 3, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.help.normal', 5, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.complaint.normal', 13, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.suggestion.normal', 15, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.consultation.urgent', 1, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.help.urgent', 1, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.complaint.urgent', 3, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.suggestion.urgent', 5, 'working_days', '2026-11-27T00:00:00.000000Z'),
    ('handle.consultation.emergency', 2, 'hours', '2026-11-27T00:00:00.000000Z'),
    ('handle.help.emergency', 2, 'hours', '2026-11-27T00:00:00.000000Z'),
    ('handle.complaint.emergency', 2, 'hours', '2026-11-27T00:00:00.000000Z'),
    ('handle.suggestion.emergency', 2, 'hours', '2026-11-27T00:00:00.000000Z');

-- The dispatch catalog's rules: a keyword routes an order to a category (and unit).
CREATE TABLE hotline_dispatch_rules (
    id BIGSERIAL PRIMARY KEY,
    keyword TEXT NOT NULL UNIQUE,
    category_code TEXT NOT NULL,
    unit_id BIGINT,
    created_at TEXT NOT NULL
);

-- The dispatch catalog's default keyword rules (one per category keyword).
INSERT INTO hotline_dispatch_rules (keyword, category_code, created_at) VALUES
    ('广场舞', 'CS01', '2026-11-27T00:00:00.000000Z'),
    ('噪音扰民', 'CS01', '2026-11-27T00:00:00.000000Z'),
    ('占道经营', 'CS02', '2026-11-27T00:00:00.000000Z'),
    ('摆摊', 'CS02', '2026-11-27T00:00:00.000000Z'),
    ('垃圾清运', 'CS03', '2026-11-27T00:00:00.000000Z'),
    ('垃圾桶满', 'CS03', '2026-11-27T00:00:00.000000Z'),
    ('违章搭建', 'CS04', '2026-11-27T00:00:00.000000Z'),
    ('违建', 'CS04', '2026-11-27T00:00:00.000000Z'),
    ('路灯不亮', 'CS05', '2026-11-27T00:00:00.000000Z'),
    ('路灯坏', 'CS05', '2026-11-27T00:00:00.000000Z'),
    ('路面坑洼', 'JT01', '2026-11-27T00:00:00.000000Z'),
    ('井盖缺失', 'JT01', '2026-11-27T00:00:00.000000Z'),
    ('乱停车', 'JT02', '2026-11-27T00:00:00.000000Z'),
    ('违停', 'JT02', '2026-11-27T00:00:00.000000Z'),
    ('红绿灯时长', 'JT03', '2026-11-27T00:00:00.000000Z'),
    ('公交线路', 'JT04', '2026-11-27T00:00:00.000000Z'),
    ('公交站', 'JT04', '2026-11-27T00:00:00.000000Z'),
    ('楼顶漏水', 'ZJ01', '2026-11-27T00:00:00.000000Z'),
    ('卫生间漏水', 'ZJ01', '2026-11-27T00:00:00.000000Z'),
    ('渗水', 'ZJ01', '2026-11-27T00:00:00.000000Z'),
    ('物业费', 'ZJ02', '2026-11-27T00:00:00.000000Z'),
    ('物业公司', 'ZJ02', '2026-11-27T00:00:00.000000Z'),
    ('夜间施工', 'ZJ03', '2026-11-27T00:00:00.000000Z'),
    ('工地', 'ZJ03', '2026-11-27T00:00:00.000000Z'),
    ('拖欠工资', 'RS01', '2026-11-27T00:00:00.000000Z'),
    ('欠薪', 'RS01', '2026-11-27T00:00:00.000000Z'),
    ('社保转移', 'RS02', '2026-11-27T00:00:00.000000Z'),
    ('养老保险', 'RS02', '2026-11-27T00:00:00.000000Z'),
    ('入户', 'GA01', '2026-11-27T00:00:00.000000Z'),
    ('户口迁移', 'GA01', '2026-11-27T00:00:00.000000Z'),
    ('学位申请', 'JY01', '2026-11-27T00:00:00.000000Z'),
    ('积分入学', 'JY01', '2026-11-27T00:00:00.000000Z'),
    ('医疗纠纷', 'WJ01', '2026-11-27T00:00:00.000000Z'),
    ('医生态度', 'WJ01', '2026-11-27T00:00:00.000000Z'),
    ('食品安全', 'SC01', '2026-11-27T00:00:00.000000Z'),
    ('过期食品', 'SC01', '2026-11-27T00:00:00.000000Z'),
    ('退款', 'SC02', '2026-11-27T00:00:00.000000Z'),
    ('预付卡', 'SC02', '2026-11-27T00:00:00.000000Z'),
    ('排污', 'HB01', '2026-11-27T00:00:00.000000Z'),
    ('异味', 'HB01', '2026-11-27T00:00:00.000000Z'),
    ('停水', 'SW01', '2026-11-27T00:00:00.000000Z'),
    ('水压低', 'SW01', '2026-11-27T00:00:00.000000Z'),
    ('低保', 'MZ01', '2026-11-27T00:00:00.000000Z'),
    ('临时救助', 'MZ01', '2026-11-27T00:00:00.000000Z'),
    ('医保报销', 'YB01', '2026-11-27T00:00:00.000000Z'),
    ('医保卡', 'YB01', '2026-11-27T00:00:00.000000Z');

CREATE TABLE hotline_open311_keys (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_by BIGINT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Daily sequence of order numbers (GD + date + sequence).
CREATE TABLE hotline_order_seq (
    day TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

-- Statistics roll-up: per creation day and dimension (type, category, street, unit),
-- the current facts of the orders created that day. Kept in step by every transition.
CREATE TABLE hotline_stats_daily (
    day TEXT NOT NULL,
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    on_time BIGINT NOT NULL DEFAULT 0,
    called_back BIGINT NOT NULL DEFAULT 0,
    satisfied BIGINT NOT NULL DEFAULT 0,
    basic BIGINT NOT NULL DEFAULT 0,
    unsatisfied BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, dim, key)
);
