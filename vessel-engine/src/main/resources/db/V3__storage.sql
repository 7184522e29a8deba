CREATE TABLE pools (
    name TEXT PRIMARY KEY,
    driver TEXT NOT NULL,
    location TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE snapshots (
    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    parent TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (instance_id, name)
);
CREATE TABLE snapshot_heads (
    instance_id TEXT PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
    current TEXT
);
CREATE TABLE storage_journal (
    id TEXT PRIMARY KEY,
    operation TEXT NOT NULL,
    instance_id TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
