CREATE TABLE memory_targets (
    instance_id TEXT PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
    bytes INTEGER NOT NULL,
    set_at TEXT NOT NULL
);
-- Round-robin history, as Proxmox keeps it with RRD: per instance and tier a fixed ring of slots
-- (slot = start / step mod slots), so its size is bounded however long the instance runs.
CREATE TABLE history (
    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
    tier INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    start INTEGER NOT NULL,
    samples INTEGER NOT NULL,
    cpu REAL NOT NULL,
    cpu_max REAL NOT NULL,
    memory REAL NOT NULL,
    memory_max REAL NOT NULL,
    guest_used REAL NOT NULL,
    disk_read REAL NOT NULL,
    disk_write REAL NOT NULL,
    net_rx REAL NOT NULL,
    net_tx REAL NOT NULL,
    PRIMARY KEY (instance_id, tier, slot)
);
