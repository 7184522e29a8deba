package dev.vessel.storage.download;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Downloads a disk image over http(s) into a partial file that survives failures: the next attempt for the same URL
 * asks only for the rest ({@code Range}, guarded by {@code If-Range} with the server's validator) and hashes what it
 * already has, so a resumed download is checked against the sha256 exactly like a whole one.
 */
public final class Downloader {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int CHUNK = 1 << 20;

    private final HttpClient client;

    public Downloader() {
        this(HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    public Downloader(HttpClient client) {
        this.client = client;
    }

    /** Bytes so far and the total (-1 when the server does not say). */
    @FunctionalInterface
    public interface Listener {
        void progress(long done, long total);
    }

    /**
     * @param sha256 the SHA-256 the whole file must have (hex), or null to take what comes
     * @param resumed how many bytes came from an earlier attempt
     */
    public record Result(Path file, long bytes, String sha256, long resumed) {}

    /** What we remember beside a partial file, to resume only the same resource. */
    record Partial(String url, String validator) {}

    public static URI parseUrl(String field, String text) {
        if (text == null || text.isBlank() || text.length() > 4096) {
            throw VesselException.invalid(field, "an http or https URL is required");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw VesselException.invalid(field, "'" + text + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw VesselException.invalid(field, "'" + text + "' is not an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw VesselException.invalid(field, "'" + text + "' has no host");
        }
        return uri;
    }

    public static String checkSha256(String field, String hex) {
        if (hex == null) {
            return null;
        }
        String h = hex.toLowerCase(Locale.ROOT).replaceFirst("^sha256:", "");
        if (!SHA256.matcher(h).matches()) {
            throw VesselException.invalid(field, "'" + hex + "' is not a SHA-256 (64 hex digits)");
        }
        return h;
    }

    /**
     * Fetches {@code url} into {@code partial}, resuming what an earlier attempt left there. On success the file is
     * complete and matches {@code sha256}; on a mismatch it is deleted (its bytes are wrong, resuming would not help).
     *
     * @param maxBytes refuse anything larger (the space the pool has)
     */
    public Result fetch(URI url, Path partial, String sha256, long maxBytes, Listener listener) {
        Path meta = partial.resolveSibling(partial.getFileName() + ".json");
        try {
            Files.createDirectories(partial.getParent());
            Partial before = readMeta(meta);
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            if (have > 0 && (before == null || !before.url().equals(url.toString()))) {
                have = 0; // another resource, or no record of where it came from: start over
            }
            var request =
                    HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
                if (before.validator() != null) {
                    request.header("If-Range", before.validator());
                }
            }
            HttpResponse<InputStream> response = send(request.build());
            try (InputStream body = response.body()) {
                long start = switch (response.statusCode()) {
                    case 206 -> rangeStart(response, have);
                    case 200 -> 0;
                    case 416 -> alreadyComplete(response, have, partial, meta);
                    default ->
                        throw new VesselException(
                                ProblemType.HOST_COMMAND_FAILED,
                                "GET " + url + " answered " + response.statusCode(),
                                Map.of("status", response.statusCode()),
                                null);
                };
                if (start == 0) {
                    have = 0;
                }
                long total = total(response, start);
                if (total > maxBytes) {
                    throw VesselException.invalid(
                            "url", url + " is " + total + " bytes, more than the " + maxBytes + " the pool has free");
                }
                AtomicFiles.write(meta, Json.write(new Partial(url.toString(), validator(response))));
                MessageDigest digest = sha256();
                try (var out = FileChannel.open(
                        partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                    out.truncate(have);
                    hashExisting(out, have, digest);
                    long done = copy(body, out, have, total, maxBytes, digest, listener);
                    out.force(true);
                    String got = HexFormat.of().formatHex(digest.digest());
                    if (total >= 0 && done != total) {
                        throw VesselException.host(
                                "the download of " + url + " ended at " + done + " of " + total
                                        + " bytes; retry to resume",
                                null);
                    }
                    if (sha256 != null && !sha256.equals(got)) {
                        out.close();
                        Files.deleteIfExists(partial);
                        Files.deleteIfExists(meta);
                        throw VesselException.invalid("sha256", url + " has SHA-256 " + got + ", not " + sha256);
                    }
                    Files.deleteIfExists(meta);
                    return new Result(partial, done, got, have);
                }
            }
        } catch (IOException e) {
            throw VesselException.host("downloading " + url + " failed: " + e.getMessage() + " (retry to resume)", e);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A 206 must continue exactly where the partial file ends; anything else would splice the wrong bytes. */
    private static long rangeStart(HttpResponse<?> response, long have) {
        String cr = response.headers().firstValue("Content-Range").orElse("");
        var m = CONTENT_RANGE.matcher(cr);
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
            throw VesselException.host("the server resumed with Content-Range '" + cr + "', not at byte " + have, null);
        }
        return have;
    }

    /**
     * 416 to a Range from the end of the partial file means it already has every byte (a crash after the last one):
     * then the rest is empty. Any other 416 means the partial file is not what the server has; it is dropped.
     */
    private static long alreadyComplete(HttpResponse<?> response, long have, Path partial, Path meta)
            throws IOException {
        String cr = response.headers().firstValue("Content-Range").orElse("");
        if (have > 0 && cr.equals("bytes */" + have)) {
            return have;
        }
        Files.deleteIfExists(partial);
        Files.deleteIfExists(meta);
        throw VesselException.invalid("url", "the server refused to resume at byte " + have + "; retry to start over");
    }

    private static long total(HttpResponse<?> response, long start) {
        if (response.statusCode() == 416) {
            return start;
        }
        if (response.statusCode() == 206) {
            var m = CONTENT_RANGE.matcher(
                    response.headers().firstValue("Content-Range").orElse(""));
            if (m.matches() && !m.group(3).equals("*")) {
                return Long.parseLong(m.group(3));
            }
        }
        return response.headers().firstValueAsLong("Content-Length").stream()
                .map(l -> l + start)
                .findFirst()
                .orElse(-1L);
    }

    /** ETag if strong, else Last-Modified: what If-Range accepts. */
    private static String validator(HttpResponse<?> response) {
        var etag = response.headers().firstValue("ETag").filter(e -> !e.startsWith("W/"));
        return etag.orElse(response.headers().firstValue("Last-Modified").orElse(null));
    }

    private static void hashExisting(FileChannel ch, long length, MessageDigest digest) throws IOException {
        var buf = ByteBuffer.allocate(CHUNK);
        long pos = 0;
        while (pos < length) {
            buf.clear().limit((int) Math.min(CHUNK, length - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("the partial file shrank while it was being read");
            }
            digest.update(buf.array(), 0, n);
            pos += n;
        }
    }

    private static long copy(
            InputStream in,
            FileChannel out,
            long have,
            long total,
            long maxBytes,
            MessageDigest digest,
            Listener listener)
            throws IOException {
        byte[] b = new byte[CHUNK];
        long done = have;
        long lastReport = 0;
        int n;
        while ((n = in.read(b)) >= 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("cancelled at byte " + done);
            }
            if (done + n > maxBytes) {
                throw VesselException.invalid(
                        "url", "the download passed " + maxBytes + " bytes, the space the pool has free");
            }
            var buf = ByteBuffer.wrap(b, 0, n);
            while (buf.hasRemaining()) {
                out.write(buf, done + (n - buf.remaining()));
            }
            digest.update(b, 0, n);
            done += n;
            long now = System.nanoTime();
            if (now - lastReport > 100_000_000L) {
                lastReport = now;
                listener.progress(done, total);
            }
        }
        listener.progress(done, total);
        return done;
    }

    private static Partial readMeta(Path meta) {
        try {
            return Files.exists(meta) ? Json.readStored(Files.readString(meta), Partial.class) : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: start over rather than trust the partial file
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
