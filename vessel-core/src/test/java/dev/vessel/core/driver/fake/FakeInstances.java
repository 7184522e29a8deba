package dev.vessel.core.driver.fake;

import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.VmSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Created instances for tests: the smallest valid VM and container specs. */
public final class FakeInstances {
    private FakeInstances() {}

    public static String newId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static VmSpec vmSpec() {
        return new VmSpec(
                256L << 20,
                1,
                AccelMode.TCG,
                5,
                null,
                new Boot("/fake/vmlinuz", null, "console=ttyS0", List.of()),
                null,
                "0a:56:65:00:00:01",
                false);
    }

    public static ContainerSpec containerSpec(RestartPolicy restart) {
        return new ContainerSpec(
                "test/busybox:1",
                "sha256:" + "0".repeat(64),
                null,
                List.of("sleep", "1000"),
                List.of(),
                null,
                null,
                null,
                false,
                List.of(),
                List.of(),
                64L << 20,
                0.5,
                64,
                restart,
                "none",
                false,
                false,
                false,
                5,
                null,
                "/fake/rootfs",
                false,
                null,
                null);
    }

    public static Instance vm(String name) {
        return new Instance(
                newId(),
                name,
                InstanceKind.VM,
                vmSpec(),
                new InstanceState.Created(Instant.now()),
                null,
                Instant.now());
    }

    public static Instance container(String name, RestartPolicy restart) {
        return new Instance(
                newId(),
                name,
                InstanceKind.CONTAINER,
                containerSpec(restart),
                new InstanceState.Created(Instant.now()),
                null,
                Instant.now());
    }
}
