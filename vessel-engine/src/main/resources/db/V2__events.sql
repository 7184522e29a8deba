CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    kind TEXT,
    name TEXT,
    body TEXT NOT NULL
);
CREATE INDEX events_at ON events(at);
