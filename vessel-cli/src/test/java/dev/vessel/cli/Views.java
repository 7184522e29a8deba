package dev.vessel.cli;

import dev.vessel.core.model.AccelMode;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.model.VmSpec;
import dev.vessel.host.Json;
import dev.vessel.model.InstanceView;
import dev.vessel.model.NicView;
import java.time.Instant;
import java.util.List;

/** Instance views as the daemon sends them, made from the model's records and read back through the CLI's reader. */
final class Views {
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private Views() {}

    static VmSpec vm(int cpus, boolean template) {
        return new VmSpec(
                256L << 20,
                cpus,
                AccelMode.AUTO,
                60,
                "tiny",
                new Boot("/img/vmlinuz", null, null, List.of()),
                null,
                "0a:56:65:00:00:01",
                template,
                List.of(),
                null);
    }

    static ContainerSpec container(double cpus) {
        return new ContainerSpec(
                "x:1",
                "sha256:" + "0".repeat(64),
                null,
                List.of("sh"),
                List.of(),
                null,
                null,
                null,
                false,
                List.of(),
                List.of(),
                0,
                cpus,
                0,
                RestartPolicy.NO,
                null,
                false,
                false,
                false,
                10,
                null,
                "overlay",
                false,
                null,
                null);
    }

    static InstanceView view(String kind, InstanceState state, InstanceSpec spec, List<NicView> nics) {
        var v = new InstanceView(
                "0123456789ab",
                "web",
                "default",
                kind,
                state.label(),
                state,
                "tiny",
                spec,
                null,
                new InstanceView.Memory(256L << 20, -1, -1, -1),
                T,
                nics,
                null);
        // through JSON and the CLI's reader, as it comes from the daemon
        return Api.read(Json.MAPPER.valueToTree(v), InstanceView.class);
    }

    static InstanceView stopped(StopReason reason, String detail, Integer code, boolean template) {
        return view("vm", new InstanceState.Stopped(T, reason, detail, code), vm(1, template), List.of());
    }
}
