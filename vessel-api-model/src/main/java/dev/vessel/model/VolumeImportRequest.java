package dev.vessel.model;

/**
 * The body of {@code POST /api/v1/volumes/import}: a volume from a file on the daemon's host ({@code path}) or from an
 * http(s) URL ({@code url}, resumable, checked against {@code sha256} when given), converted to {@code targetFormat}.
 */
public record VolumeImportRequest(
        String name, String pool, String path, String url, String sha256, String format, String targetFormat) {}
