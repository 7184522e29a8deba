package dev.vessel.model;

/**
 * What removing an OCI image reference did.
 *
 * @param untagged the references removed, comma-separated
 * @param deleted the image's id when it went with its last reference, else null
 */
public record ImageRemoval(String untagged, String deleted) {}
