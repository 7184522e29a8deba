package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows the layers of a pull or load while its task runs, as {@code docker pull} does: on a terminal one bar per layer,
 * redrawn in place; otherwise a line whenever a layer changes phase.
 */
final class LayerBars {
    private static final int WIDTH = 40;

    private final PrintStream err;
    private final boolean tty;
    private final String doneLabel;
    private final Map<String, String> phases = new HashMap<>();
    private int drawn;

    LayerBars(PrintStream err, boolean tty, String doneLabel) {
        this.err = err;
        this.tty = tty;
        this.doneLabel = doneLabel;
    }

    /** Follows the task to its end; returns the finished task. */
    static JsonNode follow(Api api, JsonNode task, PrintStream err, boolean quiet) {
        String id = task.path("id").asText();
        var bars = new LayerBars(
                err,
                Terminal.isTty(),
                task.path("operation").asText().equals("image-pull") ? "Pull complete" : "Loaded");
        JsonNode t = task;
        while (!TaskWaiter.isDone(t)) {
            t = api.get("/api/v1/tasks/" + id + "/wait?timeout=0");
            if (!TaskWaiter.isDone(t)) {
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!quiet) {
                try {
                    bars.show(api.get("/api/v1/oci-images/progress/" + id).path("layers"));
                } catch (CliError e) {
                    // no layers yet, or already forgotten
                }
            }
        }
        return TaskWaiter.await(api, t, err, true);
    }

    void show(JsonNode layers) {
        if (tty) {
            redraw(layers);
            return;
        }
        for (JsonNode l : layers) {
            String id = l.path("id").asText();
            String phase = l.path("phase").asText();
            if (!phase.equals(phases.put(id, phase)) && !phase.equals("waiting")) {
                err.println(id + ": " + label(phase, doneLabel)
                        + (phase.equals("downloading")
                                ? " " + Output.bytes(l.path("total").asLong())
                                : ""));
            }
        }
    }

    private void redraw(JsonNode layers) {
        var sb = new StringBuilder();
        if (drawn > 0) {
            sb.append("\033[").append(drawn).append('A');
        }
        int n = 0;
        for (JsonNode l : layers) {
            sb.append("\r\033[K").append(line(l, doneLabel)).append('\n');
            n++;
        }
        drawn = n;
        err.print(sb);
        err.flush();
    }

    static String line(JsonNode l, String doneLabel) {
        String phase = l.path("phase").asText();
        long done = l.path("done").asLong();
        long total = l.path("total").asLong();
        String head = l.path("id").asText() + ": " + String.format("%-12s", label(phase, doneLabel));
        if (phase.equals("downloading") || phase.equals("extracting")) {
            int full = total <= 0 ? 0 : (int) Math.min(WIDTH, WIDTH * done / total);
            return head + "[" + "=".repeat(Math.max(0, full - 1)) + (full > 0 ? ">" : "") + " ".repeat(WIDTH - full)
                    + "] " + Output.bytes(done) + "/" + Output.bytes(total);
        }
        return head;
    }

    static String label(String phase, String doneLabel) {
        return switch (phase) {
            case "waiting" -> "Waiting";
            case "downloading" -> "Downloading";
            case "verifying" -> "Verifying";
            case "extracting" -> "Extracting";
            case "done" -> doneLabel;
            default -> phase;
        };
    }
}
