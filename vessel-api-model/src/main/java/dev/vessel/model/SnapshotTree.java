package dev.vessel.model;

import java.util.List;

/**
 * An instance's snapshots as a tree, as Proxmox shows it.
 *
 * @param current the snapshot the instance descends from now, or null
 */
public record SnapshotTree(String vm, String kind, String current, List<Snapshot> snapshots) {}
