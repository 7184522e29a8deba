package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskLogLine;
import dev.vessel.core.task.TaskState;
import java.io.PrintStream;

/** Follows a task to its end, drawing a progress bar on a terminal and the task's log lines otherwise. */
final class TaskWaiter {
    private TaskWaiter() {}

    /** Follows the task to its end and returns it as the daemon sent it; a task that did not succeed is a CliError. */
    static JsonNode await(Api api, JsonNode task, PrintStream err, boolean quiet) {
        Task first = Api.read(task, Task.class);
        String id = first.id();
        boolean tty = CliContext.current().errTerminal();
        long seenLog = 0;
        JsonNode t = task;
        Task now = first;
        while (true) {
            if (!quiet && !tty) {
                for (TaskLogLine line :
                        Api.readList(api.get("/api/v1/tasks/" + id + "/log?after=" + seenLog), TaskLogLine.class)) {
                    seenLog = line.seq();
                    err.println("  " + line.line());
                }
            }
            if (now.state().done()) {
                break;
            }
            t = api.get("/api/v1/tasks/" + id + "/wait?timeout=1");
            now = Api.read(t, Task.class);
            if (!quiet && tty) {
                bar(err, t);
            }
        }
        if (!quiet && tty) {
            bar(err, t);
            err.println();
        }
        if (now.state() != TaskState.SUCCEEDED) {
            String state = now.state().label();
            String detail = now.error() == null || now.error().detail() == null
                    ? state
                    : now.error().detail();
            String type = now.error() == null || now.error().type() == null
                    ? ""
                    : now.error().type();
            int code = now.state() == TaskState.CANCELLED
                    ? ExitCodes.FAILED
                    : ExitCodes.forProblem(
                            type.startsWith("urn:vessel:problem:")
                                    ? type.substring("urn:vessel:problem:".length())
                                    : "");
            throw new CliError(
                    code == ExitCodes.INVALID ? ExitCodes.FAILED : code,
                    (now.operation() == null ? "task" : now.operation()) + " "
                            + (now.target() == null ? "" : now.target()) + " " + state + ": " + detail);
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
        err.printf(
                "\r\033[K%s %s [%s%s] %3d%% %s",
                t.path("operation").asText(),
                t.path("target").asText(""),
                "=".repeat(full),
                " ".repeat(width - full),
                Math.round(p * 100),
                msg);
        err.flush();
    }
}
