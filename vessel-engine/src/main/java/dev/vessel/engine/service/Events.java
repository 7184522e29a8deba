package dev.vessel.engine.service;

import dev.vessel.model.Event;
import java.util.List;
import java.util.function.Consumer;

/** The event stream: what happened, stored, resumable by sequence number. */
public interface Events {
    List<Event> since(long seq, int limit);

    /** Tells {@code subscriber} each new event until the returned handle is run. */
    Runnable subscribe(Consumer<Event> subscriber);
}
