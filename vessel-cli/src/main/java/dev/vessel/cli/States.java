package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** An instance's state in words: a few for ps, a sentence after start, stop, kill and restart. */
final class States {
    private States() {}

    /**
     * For ps: "running 5m", "stopped", "template", "stopped (exited 3)", "stopped (killed after timeout)". A plain stop
     * on request is just "stopped"; any other ending says how.
     */
    static String brief(JsonNode i) {
        JsonNode state = i.path("state");
        String status = i.path("status").asText(state.path("status").asText());
        if (i.path("spec").path("template").asBoolean(false)) {
            return "template";
        }
        if ("running".equals(status)) {
            return status + " " + Output.ago(state.path("since").asText(null));
        }
        if (!"stopped".equals(status)) {
            return status;
        }
        String reason = state.path("reason").asText("");
        JsonNode code = state.path("exitCode");
        String how = switch (reason) {
            case "", "stopped" -> "";
            case "stop-timeout-killed" -> "killed after timeout";
            default -> reason;
        };
        if (code.isInt() && !(how.isEmpty() && code.asInt() == 0)) {
            how = (how.isEmpty() ? "exit" : how) + " " + code.asInt();
        }
        return how.isEmpty() ? "stopped" : "stopped (" + how + ")";
    }

    /**
     * After a lifecycle operation: "web running", "web stopped", "web was killed after the stop timeout: the guest did
     * not power off within 60 s of the ACPI power button ...", "job exited with code 3".
     */
    static String outcome(String name, JsonNode i) {
        JsonNode state = i.path("state");
        String status = i.path("status").asText();
        if (!"stopped".equals(status)) {
            return name + " " + status;
        }
        String detail = state.path("detail").asText("");
        JsonNode code = state.path("exitCode");
        return switch (state.path("reason").asText("")) {
            case "", "stopped" -> name + " stopped" + (code.isInt() && code.asInt() != 0 ? " (exit code " + code.asInt() + ")" : "");
            case "stop-timeout-killed" -> name + " was killed after the stop timeout" + (detail.isEmpty() ? "" : ": " + detail);
            case "exited" -> name + " exited" + (code.isInt() ? " with code " + code.asInt() : "");
            default -> name + " stopped (" + state.path("reason").asText() + ")" + (detail.isEmpty() ? "" : ": " + detail);
        };
    }
}
