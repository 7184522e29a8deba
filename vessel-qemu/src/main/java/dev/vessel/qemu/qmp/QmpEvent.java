package dev.vessel.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Objects;

/**
 * An asynchronous QMP event such as {@code SHUTDOWN}, {@code STOP}, {@code RESUME} or {@code BLOCK_JOB_COMPLETED}.
 *
 * @param name      the event name exactly as QEMU sends it
 * @param data      the event's {@code data} object; an empty object (never null) when QEMU sent none, so callers can
 *                  write {@code data.path("reason").asText()} without null checks
 * @param timestamp when QEMU emitted the event, from QEMU's own clock
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
    public QmpEvent {
        Objects.requireNonNull(name, "name");
        data = data == null || data.isNull() || data.isMissingNode() ? JsonNodeFactory.instance.objectNode() : data;
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** Builds the event from a raw QMP message that has an {@code event} member. */
    static QmpEvent from(JsonNode message) {
        JsonNode ts = message.path("timestamp");
        Instant when;
        if (ts.path("seconds").canConvertToLong()) {
            when = Instant.ofEpochSecond(
                    ts.path("seconds").asLong(), ts.path("microseconds").asLong() * 1_000L);
        } else {
            // QEMU always stamps events; a fake or future server might not, and the arrival time is the best guess.
            when = Instant.now();
        }
        return new QmpEvent(message.path("event").asText(), message.get("data"), when);
    }
}
