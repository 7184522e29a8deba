package dev.vessel.model;

/** How a command run by the guest agent ended, with what it printed (UTF-8; the agent caps each at 16 MiB). */
public record GuestExecResult(int exitCode, String stdout, String stderr, boolean truncated) {}
