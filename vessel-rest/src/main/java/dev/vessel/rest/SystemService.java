package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.util.Map;

/** Health and facts about the daemon and its host. */
public final class SystemService implements HttpService {
    public static final String VERSION = dev.vessel.model.Versions.VESSEL;
    /**
     * The version, and which build and process answer: {@code build} is the file name of the jar the daemon runs from
     * (scripts/build installs each build under its own name, so the demo can tell a daemon of an older build and
     * restart it), or "classes" when it runs from a class path of directories.
     */
    private static final Map<String, Object> VERSION_BODY = Map.of(
            "version",
            VERSION,
            "api",
            "v1",
            "java",
            Runtime.version().toString(),
            "build",
            build(),
            "pid",
            ProcessHandle.current().pid());

    private final dev.vessel.engine.service.Host host;

    static String build() {
        try {
            var source = SystemService.class.getProtectionDomain().getCodeSource();
            var path = java.nio.file.Path.of(source.getLocation().toURI());
            return java.nio.file.Files.isRegularFile(path) ? path.getFileName().toString() : "classes";
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return "unknown";
        }
    }

    public SystemService(dev.vessel.engine.service.Host host) {
        this.host = host;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/ping", Need.open(), req -> HttpResponse.text(200, "OK"));
        r.get("/api/v1/version", Need.open(), req -> Bodies.ok(VERSION_BODY));
        r.get("/api/v1/host", Need.node(Privilege.SYS_AUDIT), req -> Bodies.ok(host.info()));
    }
}
