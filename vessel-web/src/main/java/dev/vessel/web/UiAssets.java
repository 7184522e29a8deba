package dev.vessel.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The UI's files, read once from this jar into memory. Every file but the page itself is served under
 * {@code /ui/BUILD/}, where BUILD is a hash of all the files: a new build is a new URL, so each file may be cached
 * for a year. The page ({@code index.html}, a template with {@code {{base}}} for that prefix) is served at {@code /},
 * never cached; its one inline script is the import map, allowed by its hash in the Content-Security-Policy.
 */
public final class UiAssets {
    static final String ROOT = "dev/vessel/web/ui/";
    private static final Pattern IMPORT_MAP =
            Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
    private static final Pattern ANY_INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.DOTALL);

    private final Map<String, UiAsset> files;
    private final String build;
    private final UiAsset page;
    private final String policy;

    private UiAssets(Map<String, UiAsset> files, String build, UiAsset page, String policy) {
        this.files = files;
        this.build = build;
        this.page = page;
        this.policy = policy;
    }

    /** The files packed into this jar (or target/classes, in a build tree). */
    public static UiAssets fromClasspath() {
        var url = UiAssets.class.getClassLoader().getResource(ROOT + "index.html");
        if (url == null) {
            throw new IllegalStateException("the web UI is not in this build: " + ROOT + "index.html is missing");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened already: Path.of finds it
                }
            }
            return of(read(Path.of(uri).getParent()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> read(Path dir) throws IOException {
        var out = new TreeMap<String, byte[]>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                out.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** The UI made of {@code raw} (path to bytes); {@code index.html} is the page template. */
    public static UiAssets of(Map<String, byte[]> raw) {
        byte[] template = raw.get("index.html");
        if (template == null) {
            throw new IllegalArgumentException("the UI has no index.html");
        }
        var sorted = new TreeMap<>(raw);
        String build = buildHash(sorted);
        String base = "/ui/" + build + "/";
        String html = new String(template, StandardCharsets.UTF_8).replace("{{base}}", base);
        var files = new TreeMap<String, UiAsset>();
        sorted.forEach((path, body) -> {
            if (!path.equals("index.html")) {
                files.put(path, UiAsset.of(path, body));
            }
        });
        return new UiAssets(
                Map.copyOf(files),
                build,
                UiAsset.of("index.html", html.getBytes(StandardCharsets.UTF_8)),
                policy(html));
    }

    /**
     * The page's Content-Security-Policy. Scripts: this origin's files and the import map by its hash, nothing
     * inline, no eval. Styles allow inline ones because xterm.js writes its cell sizes and theme into {@code <style>}
     * elements as it renders; no script can come from a style. Connections (fetch, EventSource, WebSocket): this
     * origin only.
     */
    private static String policy(String html) {
        var m = IMPORT_MAP.matcher(html);
        String scripts = "'self'";
        int inline = 0;
        var any = ANY_INLINE_SCRIPT.matcher(html);
        while (any.find()) {
            inline++;
        }
        if (m.find()) {
            scripts += " 'sha256-" + Base64.getEncoder().encodeToString(sha256(m.group(1))) + "'";
            inline--;
        }
        if (inline != 0) {
            throw new IllegalArgumentException("index.html may hold no inline script but the import map");
        }
        return "default-src 'none'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String buildHash(TreeMap<String, byte[]> files) {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            files.forEach((path, body) -> {
                md.update(path.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(UiAsset.sha256(body).getBytes(StandardCharsets.US_ASCII));
            });
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String build() {
        return build;
    }

    public UiAsset page() {
        return page;
    }

    /** The file at {@code path} under {@code /ui/BUILD/}, or null. */
    public UiAsset file(String path) {
        return files.get(path);
    }

    public String policy() {
        return policy;
    }
}
