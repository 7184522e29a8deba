package dev.vessel.daemon;

import dev.vessel.access.tls.NodeCertificates;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.engine.Engine;
import dev.vessel.engine.config.DaemonConfig;
import dev.vessel.http.HttpServer;
import dev.vessel.http.HttpService;
import dev.vessel.http.Listener;
import dev.vessel.http.Router;
import dev.vessel.rest.ApiRouter;
import dev.vessel.rest.ApiToken;
import dev.vessel.rest.access.AccessGuard;
import dev.vessel.rest.metrics.DaemonMetrics;
import dev.vessel.web.UiAssets;
import dev.vessel.web.UiService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code vessel daemon}: wiring only. The engine, the faces on it (today the REST API, plus services the caller adds:
 * the CLI relay), and the listeners they answer on. Stopping it leaves every VM and container running.
 */
public final class VesselDaemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(VesselDaemon.class.getName());

    private final Engine engine;
    private final HttpServer server;
    private final Router router;
    private final NodeCertificates.Identity identity;

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
        router.register(new UiService(UiAssets.fromClasspath()));
        extra.forEach(router::register);
        routerRef.set(router);
        var listeners = new ArrayList<Listener>();
        Function<String, Optional<InstanceKind>> kinds = name -> {
            try {
                return Optional.of(services.instances().get(name).kind());
            } catch (dev.vessel.core.error.VesselException e) {
                return Optional.empty();
            }
        };
        var clock = java.time.Clock.systemUTC();
        var projects = dev.vessel.rest.ApiProjectScope.of(services.projects());
        listeners.add(new Listener(
                "unix",
                config.socket(),
                null,
                router,
                new AccessGuard(services.access(), services.audit(), kinds, null, true, clock).projects(projects),
                "unix://" + config.socket(),
                null,
                Listener.Limits.UNIX));
        // The Docker Engine API on a socket of its own, root's as the API's is (dockerd's docker.sock is root's too).
        config.dockerSocket().ifPresent(path -> {
            var docker = dev.vessel.docker.DockerFace.router(services);
            listeners.add(new Listener(
                    "docker",
                    path,
                    null,
                    docker,
                    new AccessGuard(services.access(), services.audit(), kinds, null, true, clock).projects(projects),
                    "unix://" + path,
                    null,
                    Listener.Limits.UNIX));
        });
        String legacy = ApiToken.loadOrCreate(config.tokenFile());
        NodeCertificates.Identity identity = null;
        if (config.tcpListen() != null) {
            Listener.Tls tls = null;
            if (config.tls() != null) {
                tls = new Listener.Tls(config.tls().keystore(), config.tls().password());
            } else if (!config.tcpPlain()) {
                identity = NodeCertificates.loadOrCreate(
                        config.dataDir().resolve("tls"), NodeNames.dnsNames(), NodeNames.addresses(config.tcpListen()));
                tls = new Listener.Tls(identity.keystore(), identity.password());
            }
            listeners.add(Listener.tcp(
                    "tcp",
                    config.tcpListen(),
                    config.tcpNamespace(),
                    router,
                    new AccessGuard(services.access(), services.audit(), kinds, legacy, false, clock)
                            .projects(projects),
                    tls,
                    Listener.Limits.TCP));
        }
        server = new HttpServer(listeners, metrics).start();
        for (var l : listeners) {
            LOG.log(System.Logger.Level.INFO, "listening on " + l.address());
        }
        if (identity != null) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "TLS certificate SHA-256 fingerprint " + identity.fingerprint() + " (CA: "
                            + identity.caCertificate() + ")");
        } else if (config.tcpPlain()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the TCP listener speaks plain HTTP (tcp-plain=true): tickets, tokens and passwords cross the network in clear");
        }
        this.identity = identity;
    }

    /** The node's own TLS identity, or null when the TCP listener is off, plain, or uses a given keystore. */
    public NodeCertificates.Identity identity() {
        return identity;
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
