package dev.vessel.docker;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.engine.service.Services;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.model.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code GET /events}: the engine's event stream as Docker's JSON lines. {@code since} replays the stored events from
 * a time on; {@code until} ends the stream at one; without it the stream goes on until the client leaves (a newline
 * every 15 s finds out when it has).
 */
final class EventRoutes {
    private static final List<String> FILTERS =
            List.of("type", "event", "container", "image", "label", "network", "volume", "daemon", "scope");
    private static final Pattern TIMESTAMP = Pattern.compile("(\\d{1,12})(?:\\.(\\d{1,9}))?");
    private static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private static final int PAGE = 500;

    private final Services services;
    private final Clock clock;

    EventRoutes(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    void routing(DockerApi api) {
        api.read("GET", "/events", this::events);
    }

    static Instant timestamp(String param, String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        var m = TIMESTAMP.matcher(v);
        if (!m.matches()) {
            throw DockerErrors.invalid("invalid value for " + param + ": " + ContainerRefs.printable(v)
                    + " (want seconds since the epoch, as the docker CLI sends)");
        }
        String nanos = m.group(2) == null ? "0" : (m.group(2) + "00000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(m.group(1)), Long.parseLong(nanos));
    }

    private HttpResponse events(HttpRequest req) {
        Instant since = timestamp("since", req.queryParam("since").orElse(null));
        Instant until = timestamp("until", req.queryParam("until").orElse(null));
        var filters = ContainerFilters.parse(req.queryParam("filters").orElse(null), FILTERS);
        String project = req.project();
        return new HttpResponse.Streaming(200, "application/json", out -> {
            out.flush();
            var queue = new LinkedBlockingQueue<Event>();
            // the instances this stream's events were about: a destroy comes when the instance is gone
            var actors = new ConcurrentHashMap<String, DockerEvents.Actor>();
            for (Instance i : services.instances().stored()) {
                actors.put(i.name(), DockerEvents.Actor.of(i));
            }
            Runnable unsubscribe = services.events().subscribe(queue::add);
            try {
                long last = since == null ? Long.MAX_VALUE : replay(since, until, filters, project, actors, out);
                while (until == null || clock.instant().isBefore(until)) {
                    long wait = until == null
                            ? KEEPALIVE.toMillis()
                            : Math.min(
                                    KEEPALIVE.toMillis(),
                                    Duration.between(clock.instant(), until).toMillis());
                    Event e = queue.poll(Math.max(1, wait), TimeUnit.MILLISECONDS);
                    if (e == null) {
                        if (until == null) {
                            out.write('\n');
                            out.flush();
                        }
                        continue;
                    }
                    if (last != Long.MAX_VALUE && e.seq() <= last) {
                        continue; // replayed already
                    }
                    if (until != null && e.at().isAfter(until)) {
                        return;
                    }
                    send(e, filters, project, actors, out);
                }
            } finally {
                unsubscribe.run();
            }
        });
    }

    /** The stored events from {@code since} on (to {@code until}); returns the last sequence number seen. */
    private long replay(
            Instant since,
            Instant until,
            ContainerFilters filters,
            String project,
            Map<String, DockerEvents.Actor> actors,
            OutputStream out)
            throws IOException {
        long seq = 0;
        while (true) {
            List<Event> page = services.events().since(seq, PAGE);
            for (Event e : page) {
                seq = e.seq();
                if (!e.at().isBefore(since) && (until == null || !e.at().isAfter(until))) {
                    send(e, filters, project, actors, out);
                }
            }
            if (page.size() < PAGE) {
                return seq;
            }
        }
    }

    private void send(
            Event e, ContainerFilters filters, String project, Map<String, DockerEvents.Actor> actors, OutputStream out)
            throws IOException {
        if (e.name() == null) {
            return;
        }
        // an image's name is a reference, not a key (its dots are a registry's); images are the node's to see
        boolean image = e.type().startsWith("image-");
        if (!image && !ProjectKey.projectOf(e.name()).equals(project == null ? ProjectKey.DEFAULT_PROJECT : project)) {
            return;
        }
        for (Map<String, Object> ev : DockerEvents.of(e, actor(e, actors))) {
            if (DockerEvents.matches(ev, filters)) {
                out.write(Json.MAPPER.writeValueAsBytes(ev));
                out.write('\n');
                out.flush();
            }
        }
    }

    /** Who {@code e} is about: the instance as it is now, else as the stream last saw it, else as it was made. */
    private DockerEvents.Actor actor(Event e, Map<String, DockerEvents.Actor> actors) {
        if (e.kind() == null || !(e.kind().equals("container") || e.kind().equals("vm"))) {
            return null;
        }
        DockerEvents.Actor a;
        if (e.type().equals("created")) {
            a = DockerEvents.Actor.created(e);
        } else {
            try {
                a = DockerEvents.Actor.of(services.instances().get(e.name()));
            } catch (VesselException gone) {
                a = actors.get(e.name());
            }
        }
        if (a == null && e.data().get("id") instanceof String id) {
            a = new DockerEvents.Actor(id, ProjectKey.nameOf(e.name()), "", Map.of());
        }
        if (a != null) {
            actors.put(e.name(), a);
        }
        return a;
    }
}
