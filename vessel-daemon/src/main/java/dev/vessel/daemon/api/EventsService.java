package dev.vessel.daemon.api;

import dev.vessel.daemon.event.EventBus;
import dev.vessel.host.Json;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The event stream as newline-delimited JSON. {@code since} resumes after the last sequence number a client saw;
 * {@code follow} keeps the stream open for new events.
 */
public final class EventsService implements HttpService {
    private final EventBus events;

    public EventsService(EventBus events) {
        this.events = events;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/events", req -> {
            long since = req.queryInt("since", 0, 0, Integer.MAX_VALUE);
            boolean follow = req.queryFlag("follow");
            if (!follow) {
                return Bodies.ok(events.since(since, 10_000));
            }
            return new HttpResponse.Streaming(200, "application/x-ndjson", out -> {
                var queue = new LinkedBlockingQueue<EventBus.Event>(10_000);
                Runnable unsubscribe = events.subscribe(queue::offer);
                try {
                    long last = since;
                    for (var e : events.since(since, 10_000)) {
                        out.write((Json.write(e) + "\n").getBytes(StandardCharsets.UTF_8));
                        last = e.seq();
                    }
                    out.flush();
                    while (true) {
                        var e = queue.poll(15, TimeUnit.SECONDS);
                        if (e == null) {
                            out.write("\n".getBytes(StandardCharsets.UTF_8)); // keep-alive; also detects a gone client
                        } else if (e.seq() > last) {
                            out.write((Json.write(e) + "\n").getBytes(StandardCharsets.UTF_8));
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
}
