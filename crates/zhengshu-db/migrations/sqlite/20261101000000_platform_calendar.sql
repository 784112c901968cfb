-- Admin-added working-day calendar days, over the official tables built into the binary.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL,
    created_by INTEGER,
    created_at TEXT NOT NULL
);
