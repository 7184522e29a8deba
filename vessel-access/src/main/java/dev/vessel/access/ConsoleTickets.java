package dev.vessel.access;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-use console tickets, as PVE's vncticket: a logged-in caller with the console privilege asks for one, and the
 * browser puts it in the WebSocket URL (a browser cannot set headers there). A ticket is good once, for
 * {@link #LIFE} at most, for one caller, one instance and one kind of console; the WebSocket route still checks the
 * caller's login and privilege as well.
 */
public final class ConsoleTickets {
    public static final Duration LIFE = Duration.ofSeconds(30);
    private static final int MAX_OPEN = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Ticket(String value, Instant expires) {}

    private record Grant(String caller, String target, String kind, Instant expires) {}

    private final Map<String, Grant> open = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConsoleTickets(Clock clock) {
        this.clock = clock;
    }

    /** A new ticket for {@code caller} to open console {@code kind} of instance {@code target} (its key). */
    public Ticket issue(String caller, String target, String kind) {
        Instant now = clock.instant();
        open.values().removeIf(g -> !g.expires().isAfter(now));
        if (open.size() >= MAX_OPEN) {
            throw new VesselException(ProblemType.TOO_MANY_REQUESTS, "too many console tickets are open; try again");
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Instant expires = now.plus(LIFE);
        open.put(value, new Grant(caller, target, kind, expires));
        return new Ticket(value, expires);
    }

    /** Uses the ticket up; refuses (401) one that is unknown, used, expired, or for another caller or console. */
    public void redeem(String value, String caller, String target, String kind) {
        Grant g = value == null ? null : open.remove(value);
        if (g == null) {
            throw refused("the console ticket is unknown or was used already; ask for a new one");
        }
        if (!g.expires().isAfter(clock.instant())) {
            throw refused("the console ticket expired; ask for a new one (they last " + LIFE.toSeconds() + " s)");
        }
        if (!g.caller().equals(caller)
                || !g.target().equals(target)
                || !g.kind().equals(kind)) {
            throw refused("the console ticket is not for this caller and console");
        }
    }

    private static VesselException refused(String message) {
        return new VesselException(ProblemType.UNAUTHORIZED, message);
    }
}
