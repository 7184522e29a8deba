package dev.vessel.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reply to {@code query-status}.
 *
 * @param status  QEMU's run state, e.g. {@code prelaunch}, {@code running}, {@code paused}, {@code shutdown},
 *                {@code internal-error}; kept as a string because QEMU adds states between releases
 * @param running whether guest CPUs are executing
 */
public record QmpStatus(String status, boolean running) {
    static QmpStatus from(JsonNode reply) {
        return new QmpStatus(
                reply.path("status").asText(""), reply.path("running").asBoolean(false));
    }
}
