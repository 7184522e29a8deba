package dev.vessel.model;

/**
 * The body of {@code POST /api/v1/images/import}: a disk or ISO image, a file on the daemon's host ({@code path}) or
 * an http(s) {@code url}, downloaded (resumably) and checked against {@code sha256} when given.
 */
public record ImageImportRequest(
        String name, String path, String format, String convert, String readyMarker, String url, String sha256) {
    /** A file on the daemon's host. */
    public ImageImportRequest(String name, String path, String format, String convert, String readyMarker) {
        this(name, path, format, convert, readyMarker, null, null);
    }
}
