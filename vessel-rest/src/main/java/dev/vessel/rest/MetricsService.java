package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.rest.metrics.DaemonMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code GET /metrics}: Prometheus' text format (version 0.0.4), behind the same socket permissions and token as the API. */
public final class MetricsService implements HttpService {
    private final DaemonMetrics metrics;

    /** @param metrics null only where routes are listed without a daemon (the API document's test) */
    public MetricsService(DaemonMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/metrics",
                Need.node(Privilege.SYS_AUDIT),
                req -> new HttpResponse.Full(
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8),
                        Map.of()));
    }
}
