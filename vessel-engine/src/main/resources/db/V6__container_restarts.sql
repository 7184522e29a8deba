-- A container's restart count and when the supervisor last started it, so that on-failure:N and the back-off hold
-- across daemon restarts.
CREATE TABLE container_restarts (
    instance_id TEXT PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
    count INTEGER NOT NULL,
    last_start TEXT
);
