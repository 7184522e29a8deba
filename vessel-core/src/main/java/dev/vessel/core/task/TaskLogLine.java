package dev.vessel.core.task;

import java.time.Instant;

public record TaskLogLine(long seq, Instant at, String line) {}
