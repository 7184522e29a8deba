package dev.vessel.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.engine.service.Containers;
import dev.vessel.http.WebSocketSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The browser's exec socket against a fake command: output, typing, resize, the exit frame and the close. */
class WebSocketExecTest {
    /** A command that prints what it reads, line by line, until its input ends; then it exits with 3. */
    static final class EchoExec implements Containers.Exec {
        final PipedInputStream stdinRead = new PipedInputStream(65536);
        final PipedOutputStream stdout = new PipedOutputStream();
        final PipedInputStream stdoutRead;
        final CountDownLatch ended = new CountDownLatch(1);
        final List<int[]> sizes = new CopyOnWriteArrayList<>();
        final OutputStream stdin;
        volatile boolean destroyed;

        EchoExec() throws Exception {
            stdoutRead = new PipedInputStream(stdout, 65536);
            stdin = new PipedOutputStream(stdinRead);
            Thread.ofVirtual().start(() -> {
                try (stdout) {
                    byte[] b = new byte[1024];
                    int n;
                    while ((n = stdinRead.read(b)) > 0) {
                        stdout.write(b, 0, n);
                        stdout.flush();
                    }
                } catch (Exception e) {
                    // the input went away
                }
                ended.countDown();
            });
        }

        @Override
        public InputStream stdout() {
            return stdoutRead;
        }

        @Override
        public InputStream stderr() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public OutputStream stdin() {
            return stdin;
        }

        @Override
        public void await(Duration max) throws InterruptedException {
            ended.await(max.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void destroy() {
            destroyed = true;
        }

        @Override
        public boolean alive() {
            return ended.getCount() > 0;
        }

        @Override
        public int exitCode() {
            return 3;
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }

        @Override
        public void resize(int rows, int cols) {
            sizes.add(new int[] {rows, cols});
        }
    }

    static final class Session implements WebSocketSession {
        final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        final List<String> texts = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile int code;

        @Override
        public void sendText(String text) {
            texts.add(text);
        }

        @Override
        public synchronized void sendBinary(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
        }

        @Override
        public void close(int code, String reason) {
            this.code = code;
            closed.countDown();
        }

        @Override
        public boolean isOpen() {
            return closed.getCount() > 0;
        }

        synchronized String output() {
            return binary.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void typedBytesReachTheCommandItsOutputComesBackAndTheEndIsAnExitFrameThenAClose() throws Exception {
        var exec = new EchoExec();
        var ws = new Session();
        var handler = new WebSocketExec(exec);
        handler.onOpen(ws);
        handler.onBinary(ws, ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
        handler.onText(ws, "{\"resize\":[120,40]}");
        handler.onText(ws, "not json"); // ignored, never typed
        handler.onText(ws, "{\"resize\":[0,40]}"); // out of range: ignored
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ws.output().contains("hello") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ws.output()).isEqualTo("hello\n");
        while (exec.sizes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(exec.sizes).singleElement().satisfies(s -> assertThat(s).containsExactly(40, 120));

        handler.onClose(1000, "bye"); // the browser leaves: the command's input ends, and it ends with it
        assertThat(ws.closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ws.texts).containsExactly("{\"exit\":3}");
        assertThat(ws.code).isEqualTo(1000);
        assertThat(ws.output()).doesNotContain("not json");
    }
}
