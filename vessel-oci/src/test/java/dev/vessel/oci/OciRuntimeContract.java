package dev.vessel.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link OciRuntime} must do, as the drivers rely on it: detached runs, create-then-start, state, signals,
 * pause and resume, forced and plain delete, and a list that adoption can trust. A runtime's test subclasses this and
 * supplies the runtime and a bundle whose process runs until it is signalled.
 */
public abstract class OciRuntimeContract {
    @TempDir
    protected Path work;

    private final List<String> made = new ArrayList<>();

    protected abstract OciRuntime runtime();

    /** A bundle in {@code dir} whose process sleeps until killed and ends on SIGTERM. */
    protected abstract Path bundle(Path dir, String id) throws Exception;

    /** Whether a process of this pid runs on the host (not a zombie). */
    protected abstract boolean processAlive(long pid);

    private String newId() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        String id = "vessel-contract-" + HexFormat.of().formatHex(b);
        made.add(id);
        return id;
    }

    @AfterEach
    void cleanUp() {
        for (String id : made) {
            runtime().delete(id, true);
        }
    }

    private OciRuntime.ContainerState awaitStatus(String id, OciRuntime.Status want) throws InterruptedException {
        OciRuntime.ContainerState last = null;
        for (int i = 0; i < 100; i++) {
            last = runtime().state(id).orElse(null);
            if (last != null && last.status() == want) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " did not reach " + want + "; last state " + last);
    }

    @Test
    void runStartsADetachedProcessThatStateAndListShow() throws Exception {
        String id = newId();
        Path bundle = bundle(work.resolve(id), id);
        runtime().run(id, bundle, work.resolve(id + ".log"));
        var state = awaitStatus(id, OciRuntime.Status.RUNNING);
        assertThat(state.pid()).isPositive();
        assertThat(processAlive(state.pid())).isTrue();
        assertThat(Path.of(state.bundle())).isEqualTo(bundle);
        assertThat(runtime().list()).extracting(OciRuntime.ContainerState::id).contains(id);
    }

    @Test
    void createMakesTheNamespacesAndStartRunsTheProcess() throws Exception {
        String id = newId();
        runtime().create(id, bundle(work.resolve(id), id), work.resolve(id + ".log"));
        var created = runtime().state(id).orElseThrow();
        assertThat(created.status()).isEqualTo(OciRuntime.Status.CREATED);
        assertThat(created.pid()).as("the init waits in its namespaces").isPositive();
        runtime().start(id);
        assertThat(awaitStatus(id, OciRuntime.Status.RUNNING).pid()).isEqualTo(created.pid());
    }

    @Test
    void aSignalEndsTheProcessAndDeleteForgetsTheContainer() throws Exception {
        String id = newId();
        runtime().run(id, bundle(work.resolve(id), id), work.resolve(id + ".log"));
        long pid = awaitStatus(id, OciRuntime.Status.RUNNING).pid();
        runtime().kill(id, "KILL");
        awaitStatus(id, OciRuntime.Status.STOPPED);
        assertThat(processAlive(pid)).isFalse();
        runtime().kill(id, "KILL"); // a signal to a stopped container is no error: the process is gone either way
        runtime().delete(id, false);
        assertThat(runtime().state(id)).isEmpty();
        assertThat(runtime().list()).extracting(OciRuntime.ContainerState::id).doesNotContain(id);
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        String id = newId();
        runtime().run(id, bundle(work.resolve(id), id), work.resolve(id + ".log"));
        long pid = awaitStatus(id, OciRuntime.Status.RUNNING).pid();
        runtime().pause(id);
        assertThat(runtime().state(id).orElseThrow().status()).isEqualTo(OciRuntime.Status.PAUSED);
        runtime().resume(id);
        assertThat(runtime().state(id).orElseThrow().status()).isEqualTo(OciRuntime.Status.RUNNING);
        assertThat(processAlive(pid)).isTrue();
    }

    @Test
    void forcedDeleteKillsARunningContainerAndDeletingTwiceIsFine() throws Exception {
        String id = newId();
        runtime().run(id, bundle(work.resolve(id), id), work.resolve(id + ".log"));
        long pid = awaitStatus(id, OciRuntime.Status.RUNNING).pid();
        runtime().delete(id, true);
        assertThat(runtime().state(id)).isEmpty();
        for (int i = 0; i < 50 && processAlive(pid); i++) {
            Thread.sleep(100);
        }
        assertThat(processAlive(pid)).isFalse();
        runtime().delete(id, true);
        runtime().delete(id, false);
    }

    @Test
    void aPlainDeleteOfARunningContainerIsRefusedAndLeavesItRunning() throws Exception {
        String id = newId();
        runtime().run(id, bundle(work.resolve(id), id), work.resolve(id + ".log"));
        long pid = awaitStatus(id, OciRuntime.Status.RUNNING).pid();
        assertThatThrownBy(() -> runtime().delete(id, false)).isInstanceOf(VesselException.class);
        assertThat(runtime().state(id).orElseThrow().status()).isEqualTo(OciRuntime.Status.RUNNING);
        assertThat(processAlive(pid)).isTrue();
    }

    @Test
    void aBundleThatCannotRunFailsWithTheRuntimesWordsAndLeavesNothing() throws Exception {
        String id = newId();
        Path broken = work.resolve(id);
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("config.json"), "{\"ociVersion\": \"1.0.2\"}");
        assertThatThrownBy(() -> runtime().run(id, broken, work.resolve(id + ".log")))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining(id);
        assertThat(runtime().state(id)).isEmpty();
    }

    @Test
    void theStateOfAnUnknownContainerIsEmpty() {
        assertThat(runtime().state("vessel-contract-never-made")).isEmpty();
        assertThat(runtime().list())
                .extracting(OciRuntime.ContainerState::id)
                .doesNotContain("vessel-contract-never-made");
    }

    @Test
    void operationsOnAnUnknownContainerFail() {
        assertThatThrownBy(() -> runtime().start("vessel-contract-never-made")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> runtime().pause("vessel-contract-never-made")).isInstanceOf(VesselException.class);
    }
}
