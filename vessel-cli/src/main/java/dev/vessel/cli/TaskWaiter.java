package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Follows a task to its end, drawing a progress bar on a terminal and the task's log lines otherwise. */
final class TaskWaiter {
    private TaskWaiter() {}

    static JsonNode await(Api api, JsonNode task, PrintStream err, boolean quiet) {
        String id = task.path("id").asText();
        boolean tty = CliContext.current().errTerminal();
        long seenLog = 0;
        JsonNode t = task;
        while (true) {
            if (!quiet && !tty) {
                for (JsonNode line : api.get("/api/v1/tasks/" + id + "/log?after=" + seenLog)) {
                    seenLog = line.path("seq").asLong();
                    err.println("  " + line.path("line").asText());
                }
            }
            if (isDone(t)) {
                break;
            }
            t = api.get("/api/v1/tasks/" + id + "/wait?timeout=1");
            if (!quiet && tty) {
                bar(err, t);
            }
        }
        if (!quiet && tty) {
            bar(err, t);
            err.println();
        }
        String state = t.path("state").asText();
        if (!state.equals("succeeded")) {
            String detail = t.path("error").path("detail").asText(state);
            String type = t.path("error").path("type").asText("");
            int code = state.equals("cancelled") ? ExitCodes.FAILED
                    : ExitCodes.forProblem(type.startsWith("urn:vessel:problem:") ? type.substring("urn:vessel:problem:".length()) : "");
            throw new CliError(code == ExitCodes.INVALID ? ExitCodes.FAILED : code,
                    t.path("operation").asText("task") + " " + t.path("target").asText("") + " " + state + ": " + detail);
        }
        return t;
    }

    static boolean isDone(JsonNode t) {
        return switch (t.path("state").asText()) {
            case "succeeded", "failed", "cancelled" -> true;
            default -> false;
        };
    }

    static void bar(PrintStream err, JsonNode t) {
        double p = t.path("progress").asDouble();
        int width = 30;
        int full = (int) Math.round(p * width);
        String msg = t.path("message").asText("");
        if (msg.length() > 50) {
            msg = msg.substring(0, 47) + "...";
        }
        err.printf("\r\033[K%s %s [%s%s] %3d%% %s", t.path("operation").asText(), t.path("target").asText(""),
                "=".repeat(full), " ".repeat(width - full), Math.round(p * 100), msg);
        err.flush();
    }
}
