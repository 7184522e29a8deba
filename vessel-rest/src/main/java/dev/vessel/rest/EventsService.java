package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Events;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The event stream: a JSON array, or with {@code follow} a stream that stays open for new events, as newline-delimited
 * JSON or as server-sent events ({@code Accept: text/event-stream} or {@code format=sse}: {@code id:} is the sequence
 * number, so a browser's EventSource resumes by itself with {@code Last-Event-ID}). {@code since} resumes after the
 * last sequence number a client saw; {@code type}, {@code kind} and {@code name} (repeatable) filter on the server.
 */
public final class EventsService implements HttpService {
    private static final byte[] NDJSON_KEEPALIVE = "\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SSE_KEEPALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final Events events;

    public EventsService(Events events) {
        this.events = events;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/events", Need.loggedIn(), req -> {
            boolean sse = sse(req);
            long since = req.header("Last-Event-ID")
                    .map(EventsService::lastEventId)
                    .orElse((long) req.queryInt("since", 0, 0, Integer.MAX_VALUE));
            boolean follow = sse || req.queryFlag("follow");
            Predicate<Event> wanted = filter(req).and(inScope(req)).and(visibleTo(req.caller()));
            if (!follow) {
                return Bodies.ok(
                        events.since(since, 10_000).stream().filter(wanted).toList());
            }
            return new HttpResponse.Streaming(200, sse ? "text/event-stream" : "application/x-ndjson", out -> {
                var queue = new LinkedBlockingQueue<Event>(10_000);
                Runnable unsubscribe = events.subscribe(queue::offer);
                try {
                    long last = since;
                    for (var e : events.since(since, 10_000)) {
                        if (wanted.test(e)) {
                            out.write(frame(e, sse));
                        }
                        last = e.seq();
                    }
                    out.flush();
                    while (true) {
                        var e = queue.poll(15, TimeUnit.SECONDS);
                        if (e == null) {
                            out.write(sse ? SSE_KEEPALIVE : NDJSON_KEEPALIVE); // also finds a client that is gone
                        } else if (e.seq() > last) {
                            if (wanted.test(e)) {
                                out.write(frame(e, sse));
                            }
                            last = e.seq();
                        }
                        out.flush();
                    }
                } finally {
                    unsubscribe.run();
                }
            });
        });
    }

    /**
     * The events a caller may see: all with Sys.Audit on /; else those of the instances and networks it may see
     * (VM.Audit, Container.Audit, Network.Audit on each), so a user's UI follows its own VMs live.
     */
    static Predicate<Event> visibleTo(dev.vessel.access.Caller c) {
        if (c instanceof dev.vessel.access.Caller.Admin || c.can(Privilege.SYS_AUDIT, dev.vessel.access.AclPath.ROOT)) {
            return e -> true;
        }
        return e -> e.name() != null
                && validKey(e.name())
                && switch (e.kind() == null ? "" : e.kind()) {
                    case "vm", "container" -> Visible.instance(c, e.kind(), e.name());
                    case "network" -> Visible.object(c, Privilege.NETWORK_AUDIT, "networks", e.name());
                    default -> false;
                };
    }

    /**
     * As lists do: the events of the request's project's instances, volumes and networks of its own (all of them with
     * {@code ?all-projects=true}); events of what is the node's or the default project's to share (its networks,
     * images, tasks) are not of one project.
     */
    static Predicate<Event> inScope(HttpRequest req) {
        if (req.queryFlag("all-projects")) {
            return e -> true;
        }
        String project = req.project();
        return e -> !ofAProject(e)
                || dev.vessel.core.model.ProjectKey.projectOf(e.name()).equals(project);
    }

    private static boolean ofAProject(Event e) {
        return e.name() != null
                && switch (e.kind() == null ? "" : e.kind()) {
                    case "vm", "container", "volume" -> true;
                    case "network" -> e.name().indexOf('.') > 0;
                    default -> false;
                };
    }

    private static boolean validKey(String name) {
        try {
            dev.vessel.core.model.ProjectKey.parse(name);
            return true;
        } catch (VesselException e) {
            return false;
        }
    }

    private static boolean sse(HttpRequest req) {
        String format = req.queryParam("format").orElse(null);
        if (format != null && !format.equals("sse") && !format.equals("ndjson") && !format.equals("json")) {
            throw VesselException.invalid("format", "must be json, ndjson or sse, not '" + format + "'");
        }
        return "sse".equals(format)
                || (format == null && req.header("Accept").orElse("").contains("text/event-stream"));
    }

    private static long lastEventId(String v) {
        try {
            long id = Long.parseLong(v.strip());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw VesselException.invalid("Last-Event-ID", "must be an event's sequence number, not '" + v + "'");
        }
    }

    private static Predicate<Event> filter(HttpRequest req) {
        Set<String> types = new java.util.HashSet<>(req.query().getOrDefault("type", List.of()));
        Set<String> kinds = new java.util.HashSet<>(req.query().getOrDefault("kind", List.of()));
        Set<String> names = new java.util.HashSet<>(req.query().getOrDefault("name", List.of()));
        // A name is read in the request's project for what lives in one (web in dev is the event of web.dev).
        Set<String> keys = new java.util.HashSet<>();
        for (String n : names) {
            keys.add(dev.vessel.core.model.Names.isValid(n) ? req.instanceKey(n) : n);
        }
        return e -> (types.isEmpty() || types.contains(e.type()))
                && (kinds.isEmpty() || kinds.contains(e.kind()))
                && (names.isEmpty() || (ofAProject(e) ? keys.contains(e.name()) : names.contains(e.name())));
    }

    private static byte[] frame(Event e, boolean sse) {
        String json = Json.write(e);
        return (sse ? "id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + json + "\n\n" : json + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
