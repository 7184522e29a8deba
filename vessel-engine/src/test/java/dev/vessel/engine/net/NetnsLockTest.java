package dev.vessel.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One daemon per network namespace manages networks; a second one is told who does. */
class NetnsLockTest {
    @TempDir
    Path dir;

    @Test
    void theSecondDaemonOfANamespaceIsToldTheFirstOnesPidAndGetsItOnceReleased() {
        var first = NetnsLock.acquire(dir, "net:[4026531840]");
        assertThat(first.lock()).isPresent();
        var second = NetnsLock.acquire(dir, "net:[4026531840]");
        assertThat(second.lock()).isEmpty();
        assertThat(second.holderPid())
                .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(NetnsLock.acquire(dir, "net:[4026532000]").lock())
                .as("another namespace")
                .isPresent();
        first.lock().get().close();
        assertThat(NetnsLock.acquire(dir, "net:[4026531840]").lock()).isPresent();
    }
}
