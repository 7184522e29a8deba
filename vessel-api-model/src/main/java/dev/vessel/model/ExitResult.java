package dev.vessel.model;

/**
 * How a container's process ended, as a wait reports it.
 *
 * @param status {@code stopped}, or {@code removed} for one that is gone (with {@code removed} true)
 * @param reason the stop reason's label, e.g. {@code exited}
 * @param exitCode null when there is none
 */
public record ExitResult(String status, String reason, Integer exitCode, String detail, boolean removed) {}
