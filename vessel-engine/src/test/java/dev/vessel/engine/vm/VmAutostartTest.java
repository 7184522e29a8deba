package dev.vessel.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Autostart once per host boot: the stopped autostart VMs only, and nothing at a restart within the same boot. */
class VmAutostartTest {
    static final Instant T = Instant.parse("2026-12-04T00:00:00Z");

    @TempDir
    Path dir;

    static Instance vm(String name, boolean autostart, InstanceState state) {
        var spec = new VmSpec(
                        256L << 20,
                        1,
                        AccelMode.AUTO,
                        60,
                        "tiny",
                        new Boot("/k", "/i", "console=ttyS0", List.of()),
                        null)
                .withAutostart(autostart);
        return new Instance("id-" + name, name, InstanceKind.VM, spec, state, null, T);
    }

    @Test
    void startsTheStoppedAutostartVmsOncePerBoot() throws Exception {
        Path bootId = dir.resolve("boot_id");
        Path kept = dir.resolve("last-boot-id");
        Files.writeString(bootId, "boot-1\n");
        var all = List.of(
                vm("a", true, new InstanceState.Created(T)),
                vm("b", false, new InstanceState.Created(T)),
                vm("c", true, new InstanceState.Running(T)),
                vm(
                        "d.dev",
                        true,
                        new InstanceState.Stopped(T, dev.vessel.core.model.StopReason.GUEST_SHUTDOWN, null, null)));
        var started = new ArrayList<String>();
        var autostart = new VmAutostart(kept, bootId);

        assertThat(autostart.run(all, started::add)).containsExactly("a", "d.dev"); // keys: d of project dev
        assertThat(started).containsExactly("a", "d.dev");
        assertThat(Files.readString(kept).strip()).isEqualTo("boot-1");

        assertThat(autostart.run(all, started::add)).as("the same boot").isEmpty();

        Files.writeString(bootId, "boot-2\n");
        assertThat(autostart.run(all, k -> {
                    throw new IllegalStateException("no room");
                }))
                .as("a start that fails is logged, not retried at every restart")
                .isEmpty();
        assertThat(Files.readString(kept).strip()).isEqualTo("boot-2");
    }

    @Test
    void withoutABootIdNothingStarts() {
        var started = new ArrayList<String>();
        new VmAutostart(dir.resolve("kept"), dir.resolve("missing"))
                .run(List.of(vm("a", true, new InstanceState.Created(T))), started::add);
        assertThat(started).isEmpty();
    }
}
