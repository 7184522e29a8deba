package dev.vessel.rest;

import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.util.Map;
import java.util.function.Supplier;

/** Health and facts about the daemon and its host. */
public final class SystemService implements HttpService {
    public static final String VERSION = "0.1.0";
    /**
     * The version, and which build and process answer: {@code build} is the file name of the jar the daemon runs from
     * (scripts/build installs each build under its own name, so the demo can tell a daemon of an older build and
     * restart it), or "classes" when it runs from a class path of directories.
     */
    private static final Map<String, Object> VERSION_BODY = Map.of(
            "version", VERSION, "api", "v1", "java", Runtime.version().toString(),
            "build", build(), "pid", ProcessHandle.current().pid());

    private final Supplier<Map<String, Object>> hostInfo;

    static String build() {
        try {
            var source = SystemService.class.getProtectionDomain().getCodeSource();
            var path = java.nio.file.Path.of(source.getLocation().toURI());
            return java.nio.file.Files.isRegularFile(path) ? path.getFileName().toString() : "classes";
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return "unknown";
        }
    }

    public SystemService(Supplier<Map<String, Object>> hostInfo) {
        this.hostInfo = hostInfo;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/ping", req -> HttpResponse.text(200, "OK"));
        r.get("/api/v1/version", req -> Bodies.ok(VERSION_BODY));
        r.get("/api/v1/host", req -> Bodies.ok(hostInfo.get()));
    }
}
