package dev.vessel.model;

/**
 * The body of {@code POST /api/v1/instances/{name}/cdrom}: put a medium into a CD-ROM drive, or take it out, while
 * the VM runs or not.
 *
 * @param media an ISO image's name or an ISO file on the daemon's host; null to eject
 * @param drive which CD-ROM, counting from 0 in the VM's order; null for the first (insert: the first empty drive when
 *     the VM runs, or a new drive when it is stopped)
 */
public record CdromRequest(String media, Integer drive) {}
