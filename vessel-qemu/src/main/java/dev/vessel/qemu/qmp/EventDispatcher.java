package dev.vessel.qemu.qmp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Delivers events to listeners on one dedicated virtual thread, so the reader thread only enqueues and a slow or
 * failing listener can never delay command replies. One thread (not one per event) keeps events in QEMU's order:
 * a listener sees STOP before the RESUME that followed it.
 *
 * <p>The end of the connection travels through the same queue, so {@link #closed()} completes only after every event
 * received before the disconnect has been handed to the listeners (the daemon can rely on having seen SHUTDOWN and its
 * reason by the time it reacts to QEMU's exit).
 */
final class EventDispatcher {
    private static final System.Logger LOG = System.getLogger(EventDispatcher.class.getName());

    private sealed interface Item permits Deliver, End {}

    private record Deliver(QmpEvent event) implements Item {}

    private record End(QmpDisconnect disconnect) implements Item {}

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final List<Consumer<QmpEvent>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<QmpDisconnect> closed = new CompletableFuture<>();
    private final String name;

    EventDispatcher(String name) {
        this.name = name;
    }

    void start() {
        Thread.ofVirtual().name(name).start(this::run);
    }

    void add(Consumer<QmpEvent> listener) {
        listeners.add(listener);
    }

    boolean remove(Consumer<QmpEvent> listener) {
        return listeners.remove(listener);
    }

    void publish(QmpEvent event) {
        queue.add(new Deliver(event));
    }

    /** Ends delivery after the events already queued; later calls are ignored by the finished thread. */
    void finish(QmpDisconnect disconnect) {
        queue.add(new End(disconnect));
    }

    CompletableFuture<QmpDisconnect> closed() {
        return closed;
    }

    private void run() {
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                // Nobody owns this private thread but us; an interrupt cannot mean "stop", because the queue must
                // still be drained for closed() to complete. The exception cleared the flag, so taking again cannot
                // spin.
                LOG.log(System.Logger.Level.WARNING, name + ": ignoring an interrupt of the event thread");
                continue;
            }
            switch (item) {
                case Deliver(QmpEvent event) -> deliver(event);
                case End(QmpDisconnect disconnect) -> {
                    closed.complete(disconnect);
                    return;
                }
            }
        }
    }

    private void deliver(QmpEvent event) {
        for (Consumer<QmpEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // A buggy listener must not stop the others or later events; it is reported, not hidden.
                LOG.log(System.Logger.Level.WARNING, name + ": listener " + listener + " failed on " + event.name(), e);
            }
        }
    }
}
