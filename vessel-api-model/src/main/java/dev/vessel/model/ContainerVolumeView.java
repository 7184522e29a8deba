package dev.vessel.model;

import java.util.List;

/** A containers' named volume: where it lives, its size, and the containers that mount it. */
public record ContainerVolumeView(String name, String path, long sizeBytes, List<String> usedBy) {}
