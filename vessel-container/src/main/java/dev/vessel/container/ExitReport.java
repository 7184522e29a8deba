package dev.vessel.container;

import dev.vessel.core.model.StopReason;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a container ended, in the terms of the instance state: the reason, a sentence for inspect, and the exit code.
 * What the driver asked for decides first (a stop, a stop that had to kill, a kill); then the OOM killer; then what
 * vessel-init recorded. Without a record, vessel-init itself was killed from outside.
 */
record ExitReport(StopReason reason, String detail, Integer exitCode) {
    private static final int SIGKILL = 9;

    static ExitReport of(StopReason intent, Optional<ExitStatus> status, long oomKills, Path log) {
        Integer code = status.map(ExitStatus::exitCode).orElse(null);
        String how = status.map(ExitStatus::describe).orElse("vessel-init was killed");
        boolean killed =
                status.isEmpty() || (status.get().signalled() && status.get().value() == SIGKILL);
        if (intent == StopReason.STOPPED) {
            return new ExitReport(StopReason.STOPPED, "stopped on request: " + how, code);
        }
        if (intent == StopReason.STOP_TIMEOUT_KILLED) {
            return new ExitReport(
                    StopReason.STOP_TIMEOUT_KILLED,
                    "did not stop in time and was killed",
                    code == null ? 128 + SIGKILL : code);
        }
        if (intent == StopReason.KILLED) {
            return new ExitReport(StopReason.KILLED, "killed on request", code == null ? 128 + SIGKILL : code);
        }
        if (oomKills > 0 && killed) {
            return new ExitReport(
                    StopReason.OOM_KILLED,
                    "the OOM killer ended it at the memory limit (" + oomKills + " kill" + (oomKills == 1 ? "" : "s")
                            + ")",
                    code == null ? 128 + SIGKILL : code);
        }
        if (status.isEmpty()) {
            return new ExitReport(
                    StopReason.CRASHED, "the container's init was killed from outside; the exit code is unknown", null);
        }
        return new ExitReport(
                StopReason.EXITED,
                how
                        + hint(status.get(), log)
                        + (oomKills > 0 ? " (the OOM killer ended " + oomKills + " of its processes before)" : ""),
                code);
    }

    /** Found on a daemon start: it ended while nobody watched. */
    static ExitReport whileDown(Optional<ExitStatus> status, long oomKills, Path log) {
        if (status.isEmpty() && oomKills == 0) {
            return new ExitReport(
                    StopReason.DIED_WHILE_DAEMON_DOWN,
                    "ended while the daemon was down; the exit code is unknown",
                    null);
        }
        ExitReport r = of(null, status, oomKills, log);
        return new ExitReport(r.reason(), r.detail() + " while the daemon was down", r.exitCode());
    }

    /** vessel-init says why it could not run the command (126, 127) as the log's last line. */
    private static String hint(ExitStatus s, Path log) {
        if (s.signalled() || (s.value() != 126 && s.value() != 127)) {
            return "";
        }
        String last = lastLine(log);
        return last.startsWith("vessel-init: ") ? ": " + last.substring("vessel-init: ".length()) : "";
    }

    static String lastLine(Path log) {
        try (var f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 4096);
            byte[] b = new byte[n];
            f.seek(len - n);
            f.readFully(b);
            var lines = new String(b, StandardCharsets.UTF_8).strip().lines().toList();
            return lines.isEmpty() ? "" : lines.getLast();
        } catch (IOException e) {
            return "";
        }
    }
}
