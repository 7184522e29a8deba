package dev.vessel.model;

/** A storage pool: its driver, where it keeps volumes, and its space. */
public record PoolView(String name, String driver, String location, long capacityBytes, long availableBytes) {}
