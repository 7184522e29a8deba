package dev.vessel.qemu.image;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One plain QEMU (TCG) running a tiny image for a test: serial console to a file, HMP monitor on a unix socket.
 * Started with ProcessBuilder rather than ProcessRunner because the test needs the live process to watch it exit
 * by itself and to kill it in any case; {@link #close()} always does.
 */
final class GuestVm implements AutoCloseable {
    static final String QEMU = "qemu-system-x86_64";

    private final Path dir;
    private final Process process;
    private final long startedAt = System.nanoTime();

    private GuestVm(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Boots {@code kernel}+{@code initrd} with {@code extra} devices; {@code dir} gets the log and the monitor socket. */
    static GuestVm boot(Path dir, TinyImage image, Path initrd, String hostname, List<String> extra)
            throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("serial.log"));
        Files.deleteIfExists(dir.resolve("monitor.sock"));
        var argv = new ArrayList<>(List.of(
                QEMU,
                "-accel",
                "tcg",
                "-M",
                "q35",
                "-m",
                "256",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-serial",
                "file:" + dir.resolve("serial.log"),
                "-monitor",
                "unix:" + dir.resolve("monitor.sock") + ",server=on,wait=off",
                "-device",
                "virtio-balloon-pci",
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                initrd.toString(),
                "-append",
                image.cmdline() + " vessel.hostname=" + hostname));
        argv.addAll(extra);
        var p = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
        return new GuestVm(dir, p);
    }

    /** Network with the guest's port 80 forwarded to {@code port} on the host's loopback. */
    static List<String> userNet(int port) {
        return List.of(
                "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:80", "-device", "virtio-net-pci,netdev=n0");
    }

    static List<String> disk(Path qcow2) {
        return List.of(
                "-blockdev",
                "driver=file,node-name=root-file,filename=" + qcow2,
                "-blockdev",
                "driver=qcow2,node-name=root,file=root-file",
                "-device",
                "virtio-blk-pci,drive=root");
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until {@code line} shows up on the console; returns the time since start, or throws with the log. */
    Duration awaitConsoleLine(String line, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (consoleLines().contains(line)) {
                return Duration.ofNanos(System.nanoTime() - startedAt);
            }
            if (!process.isAlive()) {
                throw new AssertionError(
                        "QEMU exited (" + process.exitValue() + ") before '" + line + "'" + diagnostics());
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "no '" + line + "' on the console within " + timeout.toSeconds() + " s" + diagnostics());
    }

    /** Waits until the console output contains {@code text} anywhere (e.g. a prompt, which ends no line). */
    void awaitConsoleText(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!String.join("\n", consoleLines()).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no '" + text + "' on the console within " + timeout.toSeconds() + " s" + diagnostics());
            }
            Thread.sleep(100);
        }
    }

    /** Polls an HMP command until its answer contains {@code expected}. */
    String awaitHmp(String command, String expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String answer = hmp(command);
        while (!answer.contains(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "'" + command + "' still answers " + answer.strip() + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(250);
            answer = hmp(command);
        }
        return answer;
    }

    /** The console's lines without the CR the guest's tty adds. */
    List<String> consoleLines() throws IOException {
        Path log = dir.resolve("serial.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .toList();
    }

    /** Sends one HMP command and returns what the monitor answered up to its next prompt. */
    String hmp(String command) throws Exception {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(dir.resolve("monitor.sock")));
            readUntilPrompt(ch);
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            return readUntilPrompt(ch);
        }
    }

    private static String readUntilPrompt(SocketChannel ch) throws IOException {
        var out = new StringBuilder();
        var buf = ByteBuffer.allocate(4096);
        while (!out.toString().endsWith("(qemu) ")) {
            buf.clear();
            if (ch.read(buf) < 0) {
                break;
            }
            out.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** Waits for QEMU to exit by itself; returns how long that took, or throws if it is still running. */
    Duration awaitExit(Duration timeout) throws Exception {
        long start = System.nanoTime();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("QEMU still runs " + timeout.toSeconds() + " s after the request" + diagnostics());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    int exitValue() {
        return process.exitValue();
    }

    String diagnostics() {
        try {
            String serial = String.join("\n", consoleLines());
            Path q = dir.resolve("qemu.log");
            String qemu = Files.exists(q) ? Files.readString(q) : "";
            return "\n--- console ---\n" + tail(serial) + "\n--- qemu ---\n" + tail(qemu);
        } catch (IOException e) {
            return " (no logs: " + e.getMessage() + ")";
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
