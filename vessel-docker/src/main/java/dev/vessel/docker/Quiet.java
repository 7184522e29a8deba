package dev.vessel.docker;

import java.io.InputStream;
import java.util.function.Supplier;

/** An input that sends nothing and never ends by itself: it returns end-of-input only when its reader is interrupted. */
final class Quiet extends InputStream {
    static final Supplier<InputStream> INPUT = Quiet::new;

    @Override
    public int read() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        return len == 0 ? 0 : read();
    }
}
