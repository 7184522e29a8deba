package dev.vessel.daemon.api;

import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.util.Map;
import java.util.function.Supplier;

/** Health and facts about the daemon and its host. */
public final class SystemService implements HttpService {
    public static final String VERSION = "0.1.0";
    private final Supplier<Map<String, Object>> hostInfo;

    public SystemService(Supplier<Map<String, Object>> hostInfo) {
        this.hostInfo = hostInfo;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/ping", req -> HttpResponse.text(200, "OK"));
        r.get("/api/v1/version", req -> Bodies.ok(Map.of("version", VERSION, "api", "v1", "java", Runtime.version().toString())));
        r.get("/api/v1/host", req -> Bodies.ok(hostInfo.get()));
    }
}
