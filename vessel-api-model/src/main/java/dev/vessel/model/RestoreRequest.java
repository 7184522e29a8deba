package dev.vessel.model;

/** The body of {@code POST /api/v1/backups/restore}: an archive path or a name in a pool's backups, and the new VM's name. */
public record RestoreRequest(String archive, String name) {}
