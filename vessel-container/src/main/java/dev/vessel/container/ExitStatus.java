package dev.vessel.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a container's process ended, as vessel-init wrote it: {@code exit N} or {@code signal N}. Its exit code follows
 * the shell's convention, 128 + the signal's number for a signal.
 */
public record ExitStatus(boolean signalled, int value) {
    public int exitCode() {
        return signalled ? 128 + value : value;
    }

    /** Empty when the file is missing or incomplete: vessel-init itself was killed (SIGKILL, the OOM killer). */
    public static Optional<ExitStatus> read(Path file) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            return Optional.empty();
        }
        return parse(text);
    }

    static Optional<ExitStatus> parse(String text) {
        String[] parts = text.split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            int v = Integer.parseInt(parts[1]);
            return switch (parts[0]) {
                case "exit" -> Optional.of(new ExitStatus(false, v));
                case "signal" -> Optional.of(new ExitStatus(true, v));
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public String describe() {
        return signalled
                ? "killed by signal " + Signals.name(value) + " (exit code " + exitCode() + ")"
                : "exited with code " + value;
    }
}
