package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running container's input and output for attach and exec: its log (the process's output, followed by attach and
 * logs), its stdin fifo, its terminal's size, and {@code runc exec} sessions. Everything goes through files, a fifo
 * and /proc, so it works the same for a container this daemon started and for one it adopted after a restart.
 */
public final class ContainerIo {
    private static final Duration STTY_TIMEOUT = Duration.ofSeconds(5);

    private final RuncContainerDriver driver;

    public ContainerIo(RuncContainerDriver driver) {
        this.driver = driver;
    }

    public Path log(Instance i) {
        return driver.paths(i).log();
    }

    /** Where attach input goes. For a terminal it can be opened again and again; otherwise its end is stdin's end. */
    public final class Stdin implements AutoCloseable {
        private final FileChannel channel;
        private final RunningContainer owner;

        private Stdin(FileChannel channel, RunningContainer owner) {
            this.channel = channel;
            this.owner = owner;
        }

        public void write(byte[] b, int off, int len) throws IOException {
            var buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }

        /** Without a terminal this ends the process's stdin (as {@code docker run -i} does when the client's input ends). */
        @Override
        public void close() {
            if (owner != null) {
                owner.stdinKeeper = null;
            }
            RuncContainerDriver.closeQuietly(channel);
        }
    }

    public Stdin openStdin(Instance i) {
        ContainerSpec spec = (ContainerSpec) i.spec();
        if (!spec.interactive()) {
            throw VesselException.state("container '" + i.name() + "' was made without -i: its stdin is closed");
        }
        var rc = driver.runningContainer(i.id())
                .orElseThrow(() -> VesselException.state("container '" + i.name() + "' is not running"));
        FileChannel keeper = rc.stdinKeeper;
        if (!spec.tty() && keeper != null) {
            return new Stdin(keeper, rc);
        }
        Path fifo = rc.paths.stdin();
        if (!Files.exists(fifo)) {
            throw VesselException.state("container '" + i.name() + "' has no stdin any more");
        }
        try {
            // vessel-init (terminal) or the process (no terminal) holds the read end, so this does not block.
            return new Stdin(FileChannel.open(fifo, StandardOpenOption.WRITE), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the stdin of " + i.name(), e);
        }
    }

    /** Sets the terminal's size; the kernel tells the foreground process with SIGWINCH. */
    public void resize(Instance i, int rows, int cols) {
        ContainerSpec spec = (ContainerSpec) i.spec();
        if (!spec.tty()) {
            throw VesselException.state("container '" + i.name() + "' has no terminal (make it with -t)");
        }
        var rc = driver.runningContainer(i.id())
                .orElseThrow(() -> VesselException.state("container '" + i.name() + "' is not running"));
        // vessel-init allocates the first pty of the container's own devpts instance: pts/0, seen through /proc.
        String pts = "/proc/" + rc.pid + "/root/dev/pts/0";
        var r = driver.host()
                .proc()
                .exec(
                        List.of("stty", "-F", pts, "rows", Integer.toString(rows), "cols", Integer.toString(cols)),
                        STTY_TIMEOUT,
                        null,
                        null);
        if (!r.ok()) {
            throw VesselException.host(
                    "cannot resize the terminal of '" + i.name() + "': "
                            + r.stderr().strip(),
                    null);
        }
    }

    /**
     * What to run in a container.
     *
     * @param user null for the container's process user
     * @param workdir null for the container's working directory
     */
    public record ExecSpec(
            List<String> command, boolean tty, int rows, int cols, List<String> env, String user, String workdir) {
        public ExecSpec {
            command = List.copyOf(command);
            env = List.copyOf(env);
        }
    }

    /**
     * A running {@code runc exec}: the process, whose stdio is the command's, and the file runc writes its own errors to
     * (so that they never mix with the command's stderr); see {@link ExecFailure}.
     */
    public record Exec(Process process, java.nio.file.Path runcLog) {
        /** The command's exit code, or Docker's 127/126 when runc could not start it, with the sentence to show. */
        public ExecFailure.Outcome outcome(String command) {
            return ExecFailure.outcome(process.exitValue(), runcLog, command);
        }
    }

    /**
     * Starts {@code runc exec} in the running container; the caller streams its stdio and waits for it. With a terminal,
     * vessel-init runs in front of the command and owns a pty inside the container.
     */
    public Exec exec(Instance i, ExecSpec e) {
        var rc = driver.runningContainer(i.id())
                .orElseThrow(() -> VesselException.state("container '" + i.name() + "' is not running"));
        java.nio.file.Path log = rc.paths.runDir().resolve("exec-" + java.util.UUID.randomUUID() + ".log");
        var args = new ArrayList<String>(List.of("--log", log.toString(), "--log-format", "json", "exec"));
        for (String kv : e.env()) {
            args.add("--env");
            args.add(kv);
        }
        if (e.workdir() != null) {
            args.add("--cwd");
            args.add(e.workdir());
        }
        if (e.user() != null) {
            var u = UserResolver.resolve(rc.paths.rootfs(), e.user());
            args.add("--user");
            args.add(u.uid() + ":" + u.gid());
            for (int g : u.additionalGids()) {
                args.add("--additional-gids");
                args.add(Integer.toString(g));
            }
        }
        args.add(rc.containerId);
        if (e.tty()) {
            args.addAll(List.of(
                    ContainerBundle.INIT_PATH,
                    "--tty",
                    Integer.toString(e.rows()),
                    Integer.toString(e.cols()),
                    "--stdin",
                    "--"));
        }
        args.addAll(e.command());
        return new Exec(driver.host().proc().spawn(driver.host().runcArgv(args.toArray(String[]::new))), log);
    }
}
