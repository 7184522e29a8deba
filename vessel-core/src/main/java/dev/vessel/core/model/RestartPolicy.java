package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vessel.core.error.VesselException;

/**
 * What happens when a container's process ends, as Docker users write it: {@code no}, {@code on-failure[:N]},
 * {@code always}, {@code unless-stopped}. It also applies when the daemon starts again.
 *
 * @param maxRetries for on-failure: restarts after which it gives up (0 = no limit)
 */
public record RestartPolicy(Mode mode, int maxRetries) {
    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, 0);

    public enum Mode {
        NO,
        ON_FAILURE,
        ALWAYS,
        UNLESS_STOPPED
    }

    public RestartPolicy {
        java.util.Objects.requireNonNull(mode, "mode");
        if (maxRetries < 0 || maxRetries > 1_000_000) {
            throw VesselException.invalid("restart", "the retry count " + maxRetries + " is outside 0..1000000");
        }
        if (maxRetries > 0 && mode != Mode.ON_FAILURE) {
            throw VesselException.invalid("restart", "only on-failure takes a retry count");
        }
    }

    @JsonCreator
    public static RestartPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            return NO;
        }
        String t = text.strip();
        int colon = t.indexOf(':');
        String mode = colon < 0 ? t : t.substring(0, colon);
        int retries = 0;
        if (colon >= 0) {
            try {
                retries = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw VesselException.invalid("restart", "'" + text + "': the retry count is not a number");
            }
            if (!mode.equals("on-failure")) {
                throw VesselException.invalid("restart", "'" + text + "': only on-failure takes a retry count");
            }
        }
        return switch (mode) {
            case "no" -> NO;
            case "on-failure" -> new RestartPolicy(Mode.ON_FAILURE, retries);
            case "always" -> new RestartPolicy(Mode.ALWAYS, 0);
            case "unless-stopped" -> new RestartPolicy(Mode.UNLESS_STOPPED, 0);
            default ->
                throw VesselException.invalid(
                        "restart", "'" + text + "' is not one of no, on-failure[:N], always, unless-stopped");
        };
    }

    @JsonValue
    @Override
    public String toString() {
        return switch (mode) {
            case NO -> "no";
            case ON_FAILURE -> maxRetries > 0 ? "on-failure:" + maxRetries : "on-failure";
            case ALWAYS -> "always";
            case UNLESS_STOPPED -> "unless-stopped";
        };
    }
}
