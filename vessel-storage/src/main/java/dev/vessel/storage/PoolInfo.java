package dev.vessel.storage;

/**
 * A pool and its space.
 *
 * @param location where it keeps its data (a directory for the directory pool)
 */
public record PoolInfo(String name, String driver, String location, long capacityBytes, long availableBytes) {}
