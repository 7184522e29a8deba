package dev.vessel.docker;

import dev.vessel.engine.service.Containers;
import dev.vessel.model.ExecRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's exec instances: made by {@code POST /containers/{id}/exec}, run by {@code /exec/{id}/start}, asked for
 * their exit code by {@code /exec/{id}/json}. The engine runs a command when asked; this is the face's memory of
 * those Docker made, kept until five minutes after each ended (dockerd keeps them until the container goes), and at
 * most {@link #MAX} at once.
 */
final class ExecSessions {
    static final int MAX = 1024;
    private static final Duration KEEP = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One exec instance; {@code running} is set by start, the end by the pump when the command ends. */
    static final class Session {
        final String id;
        final String container;
        final String containerId;
        final ExecRequest request;
        final boolean attachStdin;
        final boolean attachStdout;
        final boolean attachStderr;
        volatile Containers.Exec running;
        volatile Integer exitCode;
        volatile Instant ended;

        Session(
                String id,
                String container,
                String containerId,
                ExecRequest request,
                boolean in,
                boolean out,
                boolean err) {
            this.id = id;
            this.container = container;
            this.containerId = containerId;
            this.request = request;
            this.attachStdin = in;
            this.attachStdout = out;
            this.attachStderr = err;
        }
    }

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Clock clock;

    ExecSessions(Clock clock) {
        this.clock = clock;
    }

    synchronized Session add(
            String container, String containerId, ExecRequest request, boolean in, boolean out, boolean err) {
        prune();
        if (sessions.size() >= MAX) {
            throw new dev.vessel.core.error.VesselException(
                    dev.vessel.core.error.ProblemType.TOO_MANY_REQUESTS,
                    "too many exec instances (" + MAX + "); start or let the ones made end first");
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        var s = new Session(HexFormat.of().formatHex(b), container, containerId, request, in, out, err);
        sessions.put(s.id, s);
        return s;
    }

    synchronized Session get(String id) {
        var s = sessions.get(id);
        if (s == null) {
            throw new dev.vessel.core.error.VesselException(
                    dev.vessel.core.error.ProblemType.NOT_FOUND,
                    "No such exec instance: " + ContainerRefs.printable(id));
        }
        return s;
    }

    void ended(Session s, int code) {
        s.exitCode = code;
        s.ended = clock.instant();
    }

    private void prune() {
        Instant cutoff = clock.instant().minus(KEEP);
        sessions.values().removeIf(s -> s.ended != null && s.ended.isBefore(cutoff));
    }

    synchronized int size() {
        return sessions.size();
    }
}
