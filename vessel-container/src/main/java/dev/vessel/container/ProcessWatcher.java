package dev.vessel.container;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Tells when processes end that the daemon is not the parent of (every container's init: {@code runc create} is its
 * parent, and then the host's init). One platform thread polls a pidfd per watched process plus an eventfd that wakes
 * it for additions; so the exit of any number of containers is seen at once, at the cost of one thread, and it works
 * the same for containers adopted after a daemon restart. (A virtual thread would pin its carrier in poll.)
 */
public final class ProcessWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ProcessWatcher.class.getName());

    private record Watch(long pid, int fd, CompletableFuture<Void> gone) {}

    private final int wake;
    private final ConcurrentLinkedQueue<Watch> added = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> dropped = new ConcurrentLinkedQueue<>();
    private final Map<Long, Watch> byPid = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public ProcessWatcher() {
        wake = Native.eventfd();
        if (wake < 0) {
            throw new IllegalStateException("eventfd failed: errno " + -wake);
        }
        thread = Thread.ofPlatform().daemon().name("vessel-exit-watcher").start(this::loop);
    }

    /**
     * Completes when {@code pid} is gone (at once if it is already). Callbacks must not block: they run on the
     * watcher's thread unless attached with an async variant.
     */
    public CompletableFuture<Void> watch(long pid) {
        var existing = byPid.get(pid);
        if (existing != null) {
            return existing.gone();
        }
        int fd = Native.pidfdOpen(pid);
        if (fd < 0) {
            if (fd != -Native.ESRCH) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "pidfd_open(" + pid + ") failed with errno " + -fd + "; treating it as gone");
            }
            return CompletableFuture.completedFuture(null);
        }
        var w = new Watch(pid, fd, new CompletableFuture<>());
        byPid.put(pid, w);
        added.add(w);
        Native.signal(wake);
        return w.gone();
    }

    /** Stops watching without completing (the daemon lets go of the container). */
    public void unwatch(long pid) {
        if (byPid.remove(pid) != null) {
            dropped.add(pid);
            Native.signal(wake);
        }
    }

    public int watched() {
        return byPid.size();
    }

    private void loop() {
        var active = new ArrayList<Watch>();
        while (!closed) {
            for (Watch w; (w = added.poll()) != null; ) {
                active.add(w);
            }
            for (Long pid; (pid = dropped.poll()) != null; ) {
                long p = pid;
                active.removeIf(w -> {
                    if (w.pid() == p && !byPid.containsKey(p)) {
                        Native.close(w.fd());
                        return true;
                    }
                    return false;
                });
            }
            int[] fds = new int[active.size() + 1];
            fds[0] = wake;
            for (int i = 0; i < active.size(); i++) {
                fds[i + 1] = active.get(i).fd();
            }
            boolean[] ready = new boolean[fds.length];
            int r = Native.pollIn(fds, ready, -1);
            if (r < 0) {
                if (-r != Native.EINTR) {
                    LOG.log(System.Logger.Level.ERROR, "poll failed with errno " + -r);
                    sleep();
                }
                continue;
            }
            if (ready[0]) {
                Native.drain(wake);
            }
            var gone = new ArrayList<Watch>();
            for (int i = 1; i < fds.length; i++) {
                if (ready[i]) {
                    gone.add(active.get(i - 1));
                }
            }
            for (Watch w : gone) {
                active.remove(w);
                Native.close(w.fd());
                byPid.remove(w.pid(), w);
                w.gone().complete(null);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Native.signal(wake);
    }
}
