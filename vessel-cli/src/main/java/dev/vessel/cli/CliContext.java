package dev.vessel.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where one CLI call runs: its standard streams, environment, working directory and whether they are terminals. A
 * {@code vessel} started as its own JVM has the process's own; a call relayed by the thin client (see {@link CliRelay})
 * runs inside the daemon with the client's, so commands read these and never {@code System.*}.
 *
 * @param terminal whether standard input and output are both a terminal (as {@link java.io.Console#isTerminal})
 * @param errTerminal whether standard error is a terminal (progress bars are drawn there)
 */
public record CliContext(
        InputStream in,
        PrintStream out,
        PrintStream err,
        Map<String, String> env,
        Path cwd,
        boolean terminal,
        boolean errTerminal) {
    static final ScopedValue<CliContext> CURRENT = ScopedValue.newInstance();

    /** The context of this call: the relayed client's, or this process's. */
    static CliContext current() {
        return CURRENT.isBound() ? CURRENT.get() : local();
    }

    /** This process's own streams (read afresh: tests replace System.out). */
    static CliContext local() {
        boolean tty = System.console() != null && System.console().isTerminal();
        return new CliContext(
                System.in, System.out, System.err, System.getenv(), Path.of("").toAbsolutePath(), tty, tty);
    }

    String env(String name) {
        return env.get(name);
    }

    /** A path the user typed, made absolute against the caller's working directory (the daemon resolves it). */
    Path absolute(Path p) {
        return cwd.resolve(p).normalize();
    }

    /** Whether this call runs inside the daemon for a thin client. */
    boolean relayed() {
        return CURRENT.isBound();
    }
}
