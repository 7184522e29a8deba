package dev.vessel.daemon;

import dev.vessel.engine.Engine;
import dev.vessel.engine.config.DaemonConfig;
import dev.vessel.http.HttpServer;
import dev.vessel.http.HttpService;
import dev.vessel.http.Listener;
import dev.vessel.http.Router;
import dev.vessel.rest.ApiRouter;
import dev.vessel.rest.ApiToken;
import dev.vessel.rest.metrics.DaemonMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code vessel daemon}: wiring only. The engine, the faces on it (today the REST API, plus services the caller adds:
 * the CLI relay), and the listeners they answer on. Stopping it leaves every VM and container running.
 */
public final class VesselDaemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(VesselDaemon.class.getName());

    private final Engine engine;
    private final HttpServer server;
    private final Router router;

    public VesselDaemon(DaemonConfig config) {
        this(config, List.of());
    }

    /** @param extra services beside the API's own (the CLI relay, which the daemon module does not know) */
    public VesselDaemon(DaemonConfig config, List<HttpService> extra) {
        engine = Engine.start(config);
        var routerRef = new AtomicReference<Router>();
        var services = engine.services();
        var metrics = new DaemonMetrics(routerRef::get, services.instances(), services.stats(), services.events());
        router = ApiRouter.build(services, metrics);
        extra.forEach(router::register);
        routerRef.set(router);
        var listeners = new ArrayList<Listener>();
        listeners.add(Listener.unix("unix", config.socket(), router));
        if (config.tcpListen() != null) {
            var tls = config.tls() == null
                    ? null
                    : new Listener.Tls(config.tls().keystore(), config.tls().password());
            listeners.add(Listener.tcp(
                    "tcp",
                    config.tcpListen(),
                    router,
                    ApiToken.loadOrCreate(config.tokenFile()),
                    tls,
                    Listener.Limits.TCP));
        } else {
            ApiToken.loadOrCreate(config.tokenFile());
        }
        server = new HttpServer(listeners, metrics).start();
        for (var l : listeners) {
            LOG.log(System.Logger.Level.INFO, "listening on " + l.address());
        }
    }

    public Router router() {
        return router;
    }

    public HttpServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
