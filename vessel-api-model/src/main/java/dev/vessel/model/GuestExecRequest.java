package dev.vessel.model;

import java.util.List;

/**
 * The body of {@code POST /api/v1/instances/{name}/guest/exec}: a program and its arguments, run by the guest agent
 * without a shell.
 *
 * @param input bytes for its stdin, UTF-8; null for none
 * @param timeout seconds to wait for it (default 60, at most 3600)
 */
public record GuestExecRequest(List<String> command, String input, Integer timeout) {}
