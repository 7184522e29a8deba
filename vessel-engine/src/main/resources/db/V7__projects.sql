-- Projects (Incus-like): a namespace for instances, with quotas. The default project is implicit and always there:
-- a row for it only holds its limits. Instances carry their project in their key (NAME.PROJECT), so the instances
-- table needs no column of its own.
CREATE TABLE projects (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    limits TEXT NOT NULL,
    created_at TEXT NOT NULL
);
