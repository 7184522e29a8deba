package dev.vessel.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed logins, counted per user name and per source address over a sliding window. Past the limit a key is refused
 * until its oldest failure leaves the window, whether the password would have been right or not, so guessing cannot
 * go faster than the limit. Unknown user names are counted like known ones (the answer must not tell them apart).
 * The table is bounded: the oldest keys go first.
 */
public final class LoginThrottle {
    public static final Duration WINDOW = Duration.ofMinutes(5);
    public static final int PER_USER = 5;
    public static final int PER_ADDRESS = 20;
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> e) {
            return size() > MAX_KEYS;
        }
    };

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long until this user may try again from this address, or empty when it may now. */
    public synchronized Optional<Duration> refused(String user, String address) {
        Instant now = clock.instant();
        Duration u = wait("u:" + user, PER_USER, now);
        Duration a = wait("a:" + address, PER_ADDRESS, now);
        Duration longest = u.compareTo(a) >= 0 ? u : a;
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    public synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        failures.computeIfAbsent("u:" + user, k -> new ArrayDeque<>()).addLast(now);
        failures.computeIfAbsent("a:" + address, k -> new ArrayDeque<>()).addLast(now);
    }

    /** A good login clears its user's failures (not its address's: one good account must not unlock guessing). */
    public synchronized void succeeded(String user) {
        failures.remove("u:" + user);
    }

    private Duration wait(String key, int limit, Instant now) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return Duration.ZERO;
        }
        while (!q.isEmpty() && !q.peekFirst().plus(WINDOW).isAfter(now)) {
            q.removeFirst();
        }
        if (q.isEmpty()) {
            failures.remove(key);
            return Duration.ZERO;
        }
        if (q.size() < limit) {
            return Duration.ZERO;
        }
        return Duration.between(now, q.peekFirst().plus(WINDOW));
    }
}
