package dev.vessel.cli;

/**
 * A command that, as invoked, needs this process's own terminal or standard input (raw mode, a console, stdin sent to
 * a container): the thin client runs it in a JVM of its own instead of relaying it to the daemon.
 */
interface LocalCall {
    boolean runsLocally();
}
