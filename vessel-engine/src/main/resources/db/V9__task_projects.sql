-- A task is in a project (as an Incus operation is): the project of its target, or default for the node's own work.
-- Tasks stored before this are in default; their body has no project and reads as default too.
ALTER TABLE tasks ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
CREATE INDEX tasks_project_created ON tasks(project, created_at);
