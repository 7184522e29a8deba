package dev.vessel.engine.service;

import dev.vessel.model.ContainerCreateRequest;
import dev.vessel.model.ContainerVolumeView;
import dev.vessel.model.ExecRequest;
import dev.vessel.model.ExitResult;
import dev.vessel.model.InstanceView;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What only containers have: creation, attach, exec, waiting for the end, the terminal's size, named volumes. */
public interface Containers {
    /** Creates a container in {@code project} (null: the default one), within the project's quotas. */
    InstanceView create(String project, ContainerCreateRequest request);

    default InstanceView create(ContainerCreateRequest request) {
        return create(null, request);
    }

    List<InstanceView> list();

    /** The process's output as it comes (from the start with {@code logs}), and its stdin when made with -i. */
    interface Attach {
        /** Runs until the process ends or the client leaves; input from {@code in} goes to stdin when asked for. */
        void run(InputStream in, OutputStream out) throws InterruptedException;
    }

    Attach attach(String name, boolean stdin, boolean logs);

    /** A command running in a container: its three streams, then how it ended. */
    interface Exec {
        InputStream stdout();

        InputStream stderr();

        OutputStream stdin();

        /** Waits for the end; at most {@code max}, then kills it. */
        void await(Duration max) throws InterruptedException;

        void destroy();

        boolean alive();

        /** The exit code: the command's own, or 127/126 when it could not start. */
        int exitCode();

        /** The sentence for stderr when the command could not start, else empty. */
        Optional<String> failure();

        /** Sets the size of the exec's terminal; refused when it has none. */
        default void resize(int rows, int cols) {
            throw dev.vessel.core.error.VesselException.state("this exec has no terminal");
        }
    }

    Exec exec(String name, ExecRequest request);

    /** A wait registered now, so that an end that comes before {@link #next} is not missed. */
    interface Wait extends AutoCloseable {
        /** The end already there when the wait began, unless it waits for the next one. */
        Optional<ExitResult> already();

        /** The next end, or empty after {@code max} (a face sends a keep-alive and asks again). */
        Optional<ExitResult> next(Duration max) throws InterruptedException;

        @Override
        void close();
    }

    /**
     * @param next wait for the next end even if it is stopped now
     * @param untilRemoved end only once the container is removed as well
     */
    Wait await(String name, boolean next, boolean untilRemoved);

    void resize(String name, int rows, int cols);

    List<ContainerVolumeView> volumes();

    ContainerVolumeView volume(String name);

    void removeVolume(String name);

    List<String> pruneVolumes();
}
