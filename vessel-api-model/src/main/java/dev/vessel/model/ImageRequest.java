package dev.vessel.model;

/**
 * The body of the OCI image routes: pull (reference), load (path, name), import (path, reference), untag (reference).
 *
 * @param name for a load: the name of an image the archive does not name, or names by a tag alone
 */
public record ImageRequest(String reference, String path, String name) {}
