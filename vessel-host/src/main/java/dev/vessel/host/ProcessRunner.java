package dev.vessel.host;

import dev.vessel.core.error.VesselException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs host programs from argument arrays (never a shell string), with a timeout, and turns a failure into a
 * {@link VesselException} that carries the command and its stderr. Every driver runs its binaries through this.
 */
public class ProcessRunner {
    private static final int MAX_CAPTURE = 1 << 20;
    private static final Duration PIPE_DRAIN = Duration.ofSeconds(2);

    /** The result of a finished command. */
    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Result orThrow() {
            if (exitCode != 0) {
                throw VesselException.host(
                        describe(argv) + " exited with " + exitCode + ": " + tail(stderr.isBlank() ? stdout : stderr),
                        null);
            }
            return this;
        }
    }

    /** Runs and fails on a non-zero exit. */
    public Result run(Duration timeout, String... argv) {
        return exec(List.of(argv), timeout, null, null).orThrow();
    }

    public Result run(List<String> argv, Duration timeout) {
        return exec(argv, timeout, null, null).orThrow();
    }

    /** Runs and returns whatever the exit code; throws only if it cannot run or times out. */
    public Result exec(List<String> argv, Duration timeout, Path workdir, byte[] stdin) {
        var pb = new ProcessBuilder(argv);
        if (workdir != null) {
            pb.directory(workdir.toFile());
        }
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw VesselException.host("cannot run " + describe(argv) + ": " + e.getMessage(), e);
        }
        var out = drain(p.getInputStream());
        var err = drain(p.getErrorStream());
        try {
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw VesselException.timeout(describe(argv) + " did not finish within " + timeout.toSeconds() + " s");
            }
            // A child the program left running (a daemon it forked) can hold the pipes open: take what came by then.
            out.join(PIPE_DRAIN);
            err.join(PIPE_DRAIN);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw VesselException.host(describe(argv) + " was interrupted", e);
        } catch (IOException e) {
            throw VesselException.host("cannot write to " + describe(argv) + ": " + e.getMessage(), e);
        }
        return new Result(List.copyOf(argv), p.exitValue(), out.text(), err.text());
    }

    /**
     * Runs a program whose output, and that of anything it leaves running, goes to {@code log} (appended). Used for
     * {@code runc run --detach}: the container inherits runc's stdio, so a pipe back to us would tie the workload's
     * life to the daemon's.
     */
    public Result execLogged(List<String> argv, Duration timeout, Path log) {
        return execLogged(argv, timeout, log, null);
    }

    /**
     * Like {@link #execLogged(List, Duration, Path)}, with {@code stdin} (a file or fifo; null for /dev/null) as the
     * program's input, which a detached container inherits: its stdin fifo.
     */
    public Result execLogged(List<String> argv, Duration timeout, Path log, Path stdin) {
        var pb = new ProcessBuilder(argv)
                .redirectInput(
                        ProcessBuilder.Redirect.from(stdin == null ? new java.io.File("/dev/null") : stdin.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        try {
            long before = java.nio.file.Files.exists(log) ? java.nio.file.Files.size(log) : 0;
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw VesselException.timeout(describe(argv) + " did not finish within " + timeout.toSeconds() + " s");
            }
            String out = "";
            try (var ch = java.nio.channels.FileChannel.open(log)) {
                long len = ch.size() - before;
                if (len > 0) {
                    var buf = java.nio.ByteBuffer.allocate((int) Math.min(len, MAX_CAPTURE));
                    ch.read(buf, before);
                    out = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                }
            }
            return new Result(List.copyOf(argv), p.exitValue(), out, out);
        } catch (IOException e) {
            throw VesselException.host("cannot run " + describe(argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.host(describe(argv) + " was interrupted", e);
        }
    }

    /**
     * Starts a program whose stdin, stdout and stderr the caller streams itself (an exec session in a container). The
     * caller waits for it and destroys it.
     */
    public Process spawn(List<String> argv) {
        try {
            return new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw VesselException.host("cannot run " + describe(argv) + ": " + e.getMessage(), e);
        }
    }

    private static Capture drain(InputStream in) {
        var c = new Capture(in);
        c.thread = Thread.ofVirtual().start(c);
        return c;
    }

    private static final class Capture implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private Thread thread;

        Capture(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(b)) >= 0) {
                    synchronized (buf) {
                        if (buf.size() < MAX_CAPTURE) {
                            buf.write(b, 0, Math.min(n, MAX_CAPTURE - buf.size()));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void join(Duration atMost) throws InterruptedException {
            thread.join(atMost);
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }

    public static String describe(List<String> argv) {
        return String.join(" ", argv.size() > 6 ? argv.subList(0, 6) : argv) + (argv.size() > 6 ? " ..." : "");
    }

    static String tail(String s) {
        String t = s.strip();
        return t.length() > 2000 ? "..." + t.substring(t.length() - 2000) : t;
    }
}
