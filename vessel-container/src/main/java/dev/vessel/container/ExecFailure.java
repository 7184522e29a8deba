package dev.vessel.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads why {@code runc exec} could not start a command, from the JSON log runc writes instead of stderr, and says it as
 * Docker does: 127 and "executable file not found in $PATH: CMD" for a command that does not exist, 126 for one that
 * exists but cannot be run. A command that ran keeps its own exit code, whatever it is (255 included).
 */
public final class ExecFailure {
    /** runc's exit code when it fails itself (the command never ran). */
    static final int RUNC_FAILED = 255;

    public static final int NOT_FOUND = 127;
    public static final int CANNOT_RUN = 126;

    /** @param message null when the command ran; else the sentence for the user's stderr */
    public record Outcome(int exitCode, String message) {}

    private ExecFailure() {}

    /** Reads and removes the log. */
    public static Outcome outcome(int exitCode, Path runcLog, String command) {
        String error = null;
        try {
            if (Files.exists(runcLog)) {
                for (String line : Files.readAllLines(runcLog)) {
                    JsonNode n = Json.tree(line);
                    if ("error".equals(n.path("level").asText())
                            || "fatal".equals(n.path("level").asText())) {
                        error = n.path("msg").asText();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            error = null; // unreadable: go by the exit code alone
        } finally {
            try {
                Files.deleteIfExists(runcLog);
            } catch (IOException e) {
                // left in the run dir, which goes with the container
            }
        }
        return judge(exitCode, error, command);
    }

    static Outcome judge(int exitCode, String runcError, String command) {
        if (exitCode != RUNC_FAILED || runcError == null) {
            return new Outcome(exitCode, null);
        }
        String e = runcError.toLowerCase(Locale.ROOT);
        if (e.contains("executable file not found") || e.contains("no such file or directory")) {
            return new Outcome(
                    NOT_FOUND,
                    (command.contains("/") ? "no such file or directory: " : "executable file not found in $PATH: ")
                            + command);
        }
        if (e.contains("permission denied") || e.contains("exec format error") || e.contains("is a directory")) {
            return new Outcome(CANNOT_RUN, "cannot run " + command + ": " + tail(runcError));
        }
        return new Outcome(CANNOT_RUN, "cannot start " + command + ": " + tail(runcError));
    }

    /** runc's message without its "exec failed: unable to start container process:" preamble. */
    private static String tail(String msg) {
        int i = msg.lastIndexOf(": exec: ");
        String t = i >= 0 ? msg.substring(i + 8) : msg;
        return t.replaceFirst("^exec failed: ", "");
    }
}
