package dev.vessel.docker;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Times as Docker writes them: RFC 3339 with nanoseconds, Go's zero time, and the CLI's "Up 3 minutes". */
final class DockerTime {
    /** What Docker writes for a time that never was (a container never started). */
    static final String ZERO = "0001-01-01T00:00:00Z";

    private DockerTime() {}

    static String rfc3339(Instant t) {
        return t == null ? ZERO : DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** Go's units.HumanDuration, which docker ps shows. */
    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 1) {
            return "Less than a second";
        }
        if (s == 1) {
            return "1 second";
        }
        if (s < 60) {
            return s + " seconds";
        }
        long m = d.toMinutes();
        if (m == 1) {
            return "About a minute";
        }
        if (m < 60) {
            return m + " minutes";
        }
        long h = Math.round(d.toSeconds() / 3600.0);
        if (h == 1) {
            return "About an hour";
        }
        if (h < 48) {
            return h + " hours";
        }
        if (h < 24 * 7 * 2) {
            return h / 24 + " days";
        }
        if (h < 24 * 30 * 2) {
            return h / 24 / 7 + " weeks";
        }
        if (h < 24 * 365 * 2) {
            return h / 24 / 30 + " months";
        }
        return h / 24 / 365 + " years";
    }
}
