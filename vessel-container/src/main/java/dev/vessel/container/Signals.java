package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import java.util.List;
import java.util.Locale;

/** Linux signal names and numbers, as images write them (StopSignal: "SIGQUIT", "QUIT" or "3"). */
public final class Signals {
    private static final List<String> NAMES = List.of(
            "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
            "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM",
            "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {}

    /** The name without "SIG" for a number, or the number itself when it has no classic name. */
    public static String name(int number) {
        return number > 0 && number < NAMES.size() ? "SIG" + NAMES.get(number) : Integer.toString(number);
    }

    /** Normalises a signal to the name runc takes ("TERM"); refuses what is not a signal. */
    public static String parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw VesselException.invalid(field, "a signal is required");
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.chars().allMatch(Character::isDigit) && t.length() <= 2) {
            int n = Integer.parseInt(t);
            if (n > 0 && n < NAMES.size()) {
                return NAMES.get(n);
            }
            throw VesselException.invalid(
                    field, "'" + text + "' is not a signal number (1.." + (NAMES.size() - 1) + ")");
        }
        String bare = t.startsWith("SIG") ? t.substring(3) : t;
        if (!bare.isEmpty() && NAMES.contains(bare)) {
            return bare;
        }
        throw VesselException.invalid(field, "'" + text + "' is not a signal name such as SIGTERM or QUIT");
    }

    /** The number of a name as {@link #parse} returns it ("TERM" -> 15), or -1. */
    public static int number(String name) {
        int n = NAMES.indexOf(name);
        return n > 0 ? n : -1;
    }

    /**
     * Whether {@code pid} would act on {@code signal} now: it blocks it (vessel-init queues every signal for its
     * signalfd) or has a handler for it. A container's PID 1 that does neither yet (runc's init just exec'd it) ignores
     * the signal, as the kernel drops unhandled signals to a namespace's init; reads /proc/PID/status.
     */
    public static boolean heeded(long pid, String signal) {
        int n = number(signal);
        if (n < 0) {
            return true;
        }
        try {
            long blocked = 0;
            long caught = 0;
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigBlk:")) {
                    blocked = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                } else if (line.startsWith("SigCgt:")) {
                    caught = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
            long bit = 1L << (n - 1);
            return ((blocked | caught) & bit) != 0;
        } catch (java.io.IOException | RuntimeException e) {
            return true; // gone or unreadable: nothing to wait for
        }
    }
}
