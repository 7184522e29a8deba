package dev.vessel.web;

import dev.vessel.access.Need;
import dev.vessel.core.error.VesselException;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves the web UI: the page at {@code /} (and {@code /ui}, no cache) and its files under {@code /ui/BUILD/…}
 * (immutable, a year). They are open: they hold no data, and everything the page shows comes from the API, which
 * asks who calls. Each answer is gzip'd when the client takes it, and carries the page's Content-Security-Policy and
 * the headers that keep it out of frames and other origins.
 */
public final class UiService implements HttpService {
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private final UiAssets assets;

    public UiService(UiAssets assets) {
        this.assets = assets;
    }

    @Override
    public void routing(Router r) {
        r.get("/", Need.open(), req -> answer(req, assets.page(), "no-cache"));
        r.get("/ui", Need.open(), req -> answer(req, assets.page(), "no-cache"));
        r.get("/ui/{build}/{path*}", Need.open(), req -> {
            UiAsset a = assets.file(req.pathParam("path"));
            if (a == null || !req.pathParam("build").equals(assets.build())) {
                // Another build's file (a tab open across an upgrade) is not served: the page reloads.
                throw VesselException.notFound("file", req.pathParam("build") + "/" + req.pathParam("path"));
            }
            return answer(req, a, IMMUTABLE);
        });
    }

    private HttpResponse answer(HttpRequest req, UiAsset a, String cache) {
        var h = new LinkedHashMap<String, String>();
        h.put("Cache-Control", cache);
        h.put("ETag", a.etag());
        h.put("Vary", "Accept-Encoding");
        h.put("Content-Security-Policy", assets.policy());
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        if (req.header("If-None-Match").map(v -> matches(v, a.etag())).orElse(false)) {
            return new HttpResponse.Full(304, null, new byte[0], Map.copyOf(h));
        }
        if (a.gzip() != null && acceptsGzip(req.header("Accept-Encoding").orElse(""))) {
            h.put("Content-Encoding", "gzip");
            return new HttpResponse.Full(200, a.contentType(), a.gzip(), Map.copyOf(h));
        }
        return new HttpResponse.Full(200, a.contentType(), a.body(), Map.copyOf(h));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String s = t.strip();
            if (s.equals("*") || s.equals(etag) || s.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code gzip} is among the codings and not refused with {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.strip().split(";");
            if (!p[0].strip().equalsIgnoreCase("gzip") && !p[0].strip().equals("*")) {
                continue;
            }
            for (int i = 1; i < p.length; i++) {
                String q = p[i].strip().replace(" ", "");
                if (q.equals("q=0") || q.matches("q=0\\.0{0,3}")) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
