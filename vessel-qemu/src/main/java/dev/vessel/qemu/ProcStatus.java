package dev.vessel.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory, exit and credentials from /proc. */
public final class ProcStatus {
    private ProcStatus() {}

    /** VmRSS in bytes, or -1 if the process is gone. */
    public static long rssBytes(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The process's real uid, or -1 if it is gone. */
    public static int uid(long pid) {
        String v = field(pid, "Uid:");
        return v == null ? -1 : Integer.parseInt(v.split("\\s+")[0]);
    }

    /** A field of /proc/PID/status ({@code "CapEff:"}), trimmed, or null. */
    public static String field(long pid, String name) {
        if (pid <= 0) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return line.substring(name.length()).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Whether the process has exited: gone from /proc, or a zombie waiting for its parent (PID 1 for QEMU). */
    public static boolean exited(long pid) {
        if (pid <= 0) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "PID (comm) S ...": the state follows the last ')' (comm may hold spaces and parentheses)
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    /** Waits up to {@code max} for the process to exit; true if it did. */
    public static boolean awaitExit(long pid, java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!exited(pid)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return exited(pid);
            }
        }
        return true;
    }
}
