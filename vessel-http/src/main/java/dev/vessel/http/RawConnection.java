package dev.vessel.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The connection an upgraded endpoint gets after the 101: the HTTP parser is gone and an {@link HttpResponse.Upgrade}
 * handler reads and writes raw bytes on its own virtual thread, with blocking streams. Bytes the client sent right
 * after the request (a pipelined stdin) come first. Closing the output half-closes (FIN) and reading may go on, as
 * Docker's hijacked streams need; the endpoint closes when the handler returns. It never times out by itself: a
 * console or an exec may be quiet for hours.
 */
final class RawConnection extends AbstractConnection implements Connection.UpgradeTo {
    private static final System.Logger LOG = System.getLogger(RawConnection.class.getName());

    private final HttpResponse.UpgradeHandler handler;
    private final ByteBuffer buffer = BufferUtil.allocate(16 * 1024);
    private volatile boolean inputEof;

    RawConnection(EndPoint endPoint, Executor executor, HttpResponse.UpgradeHandler handler) {
        super(endPoint, executor);
        this.handler = handler;
    }

    @Override
    public void onUpgradeTo(ByteBuffer unconsumed) {
        BufferUtil.append(buffer, unconsumed);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(0);
        Thread.ofVirtual()
                .name("upgraded-" + getEndPoint().getRemoteSocketAddress())
                .start(this::run);
    }

    private void run() {
        try {
            handler.run(new In(), new Out());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "upgraded connection ended: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "upgraded connection failed", e);
        } finally {
            getEndPoint().close();
        }
    }

    @Override
    public void onFillable() {
        // unused: the handler's thread fills the endpoint itself
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        return false;
    }

    private int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            if (buffer.hasRemaining()) {
                int n = Math.min(len, buffer.remaining());
                buffer.get(b, off, n);
                return n;
            }
            if (inputEof) {
                return -1;
            }
            BufferUtil.clear(buffer);
            int filled = getEndPoint().fill(buffer);
            if (filled > 0) {
                continue;
            }
            if (filled < 0) {
                inputEof = true; // the client half-closed; we may still write
                return -1;
            }
            try (Blocker.Callback blocker = Blocker.callback()) {
                getEndPoint().fillInterested(blocker);
                blocker.block();
            }
        }
    }

    private void write(ByteBuffer data) throws IOException {
        try (Blocker.Callback blocker = Blocker.callback()) {
            getEndPoint().write(blocker, data);
            blocker.block();
        }
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : RawConnection.this.read(b, off, len);
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                RawConnection.this.write(ByteBuffer.wrap(b, off, len));
            }
        }

        /** Half-close: the client reads end-of-stream; it may still send. */
        @Override
        public void close() {
            getEndPoint().shutdownOutput();
        }
    }
}
