package dev.vessel.model;

/** The body of {@code POST /api/v1/images/import}: a disk image file on the daemon's host. */
public record ImageImportRequest(String name, String path, String format, String convert, String readyMarker) {}
