package dev.vessel.model;

import java.util.List;

/**
 * What to run in a container.
 *
 * @param user null for the container's process user
 * @param workdir null for the container's working directory
 */
public record ExecRequest(
        List<String> command, boolean tty, int rows, int cols, List<String> env, String user, String workdir) {
    public ExecRequest {
        command = List.copyOf(command);
        env = List.copyOf(env);
    }
}
