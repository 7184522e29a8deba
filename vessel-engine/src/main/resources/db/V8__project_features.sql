-- Project features (Incus's features.images and features.networks): which kinds of things a project holds of its
-- own. A project stored before this shared the node's images and networks; NULL keeps it so (both off), while a new
-- project gets its features written at create. Networks and VM images of a project are keyed NAME.PROJECT as
-- instances are, so their tables need no column; OCI references are kept per project by the image catalogue.
ALTER TABLE projects ADD COLUMN features TEXT;
