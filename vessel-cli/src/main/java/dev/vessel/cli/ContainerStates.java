package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A container's own lines in inspect. */
final class ContainerStates {
    private ContainerStates() {}

    /** The container's own lines in inspect: exit code, writable layer, process settings, limits, restart policy. */
    static void inspect(java.io.PrintStream out, JsonNode i) {
        JsonNode st = i.path("state");
        JsonNode spec = i.path("spec");
        if (st.path("exitCode").isInt()) {
            InspectCommand.line(out, "Exit code", st.path("exitCode").asText());
        }
        InspectCommand.line(out, "Image id", spec.path("imageId").asText());
        InspectCommand.line(out, "Rootfs", spec.path("rootfs").asText() + ("overlay".equals(spec.path("rootfs").asText())
                ? " (a writable layer over the shared image layers)" : " (a private copy of the image: overlayfs was not allowed here)")
                + (spec.path("readOnly").asBoolean() ? ", read-only" : ""));
        InspectCommand.line(out, "Restart", spec.path("restart").asText("no") + (spec.path("autoRemove").asBoolean() ? ", removed when it ends" : ""));
        InspectCommand.line(out, "Network", Output.text(spec.path("network")).equals("-") ? "default" : spec.path("network").asText());
        InspectCommand.line(out, "Terminal", (spec.path("tty").asBoolean() ? "yes" : "no") + (spec.path("interactive").asBoolean() ? ", stdin open" : ""));
        var limits = new StringBuilder();
        if (spec.path("pidsLimit").asLong() > 0) {
            limits.append("pids ").append(spec.path("pidsLimit").asLong());
        }
        if (spec.path("cpus").asDouble() > 0) {
            limits.append(limits.isEmpty() ? "" : ", ").append("cpus ").append(spec.path("cpus").asDouble());
        }
        if (!limits.isEmpty()) {
            InspectCommand.line(out, "Limits", limits.toString());
        }
        for (JsonNode m : spec.path("mounts")) {
            InspectCommand.line(out, "Mount", m.path("source").asText() + " -> " + m.path("target").asText() + " (" + m.path("type").asText()
                    + (m.path("readOnly").asBoolean() ? ", ro" : "") + ")");
        }
        for (JsonNode t : spec.path("tmpfs")) {
            InspectCommand.line(out, "Tmpfs", t.path("target").asText());
        }
    }
}
