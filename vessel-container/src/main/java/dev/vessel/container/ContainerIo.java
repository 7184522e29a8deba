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
    public record Exec(Process process, Path runcLog, Path pidFile, boolean tty) {
        /** The command's exit code, or Docker's 127/126 when runc could not start it, with the sentence to show. */
        public ExecFailure.Outcome outcome(String command) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // the run dir goes with the container
            }
            return ExecFailure.outcome(process.exitValue(), runcLog, command);
        }
    }

    /**
     * Sets the size of an exec's terminal. runc writes the pid of the process it started (vessel-init, which owns the
     * pty) to the pid file; the command is vessel-init's child, and its stdin is the pty's slave, which opens again
     * through /proc as the same terminal. The kernel tells the command with SIGWINCH.
     */
    public void resize(Exec e, int rows, int cols) {
        if (!e.tty()) {
            throw VesselException.state("this exec has no terminal (start it with tty)");
        }
        String slave = execTerminal(e)
                .orElseThrow(() -> VesselException.state("the exec's terminal is not there (yet, or any more)"));
        var r = driver.host()
                .proc()
                .exec(
                        List.of("stty", "-F", slave, "rows", Integer.toString(rows), "cols", Integer.toString(cols)),
                        STTY_TIMEOUT,
                        null,
                        null);
        if (!r.ok()) {
            throw VesselException.host(
                    "cannot resize the exec's terminal: " + r.stderr().strip(), null);
        }
    }

    private static java.util.Optional<String> execTerminal(Exec e) {
        try {
            if (!Files.exists(e.pidFile())) {
                return java.util.Optional.empty();
            }
            String pid = Files.readString(e.pidFile()).strip();
            if (!pid.matches("[0-9]{1,10}")) {
                return java.util.Optional.empty();
            }
            Path children = Path.of("/proc", pid, "task", pid, "children");
            String[] kids =
                    Files.exists(children) ? Files.readString(children).strip().split("\\s+") : new String[0];
            if (kids.length == 0 || !kids[0].matches("[0-9]{1,10}")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of("/proc/" + kids[0] + "/fd/0");
        } catch (IOException ex) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Starts {@code runc exec} in the running container; the caller streams its stdio and waits for it. With a terminal,
     * vessel-init runs in front of the command and owns a pty inside the container.
     */
    public Exec exec(Instance i, ExecSpec e) {
        var rc = driver.runningContainer(i.id())
                .orElseThrow(() -> VesselException.state("container '" + i.name() + "' is not running"));
        String id = java.util.UUID.randomUUID().toString();
        Path log = rc.paths.runDir().resolve("exec-" + id + ".log");
        Path pidFile = rc.paths.runDir().resolve("exec-" + id + ".pid");
        var args = new ArrayList<String>(
                List.of("--log", log.toString(), "--log-format", "json", "exec", "--pid-file", pidFile.toString()));
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
        return new Exec(
                driver.host().proc().spawn(driver.host().runcArgv(args.toArray(String[]::new))), log, pidFile, e.tty());
    }
}
