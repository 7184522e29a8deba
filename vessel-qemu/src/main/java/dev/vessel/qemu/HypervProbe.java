package dev.vessel.qemu;

import dev.vessel.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Hyper-V enlightenments this host's QEMU accepts, asked of QEMU itself: each wanted flag is tried on top of
 * those already accepted, with a paused QEMU that quits at once over QMP, and kept only if QEMU starts. A flag whose
 * prerequisite was refused is dropped without a try (QEMU's docs/hyperv.txt: SynIC, IPIs and TLB flushes need VP
 * indexes; the synthetic timers need SynIC and the reference clock). Under TCG QEMU refuses VP indexes, and so
 * everything that builds on them. Asked once per accelerator per daemon; Windows VMs start with what it found, and
 * inspect shows both lists.
 */
public final class HypervProbe {
    /** Proxmox VE's set for Windows 10 and later, in an order where prerequisites come first. */
    public static final List<String> WANTED = List.of(
            "hv_relaxed",
            "hv_vapic",
            "hv_spinlocks=0x1fff",
            "hv_time",
            "hv_reset",
            "hv_frequencies",
            "hv_runtime",
            "hv_vpindex",
            "hv_synic",
            "hv_stimer",
            "hv_ipi",
            "hv_tlbflush");

    static final Map<String, List<String>> NEEDS = Map.of(
            "hv_synic", List.of("hv_vpindex"),
            "hv_stimer", List.of("hv_synic", "hv_time"),
            "hv_ipi", List.of("hv_vpindex"),
            "hv_tlbflush", List.of("hv_vpindex"));

    /** Whether QEMU starts with these flags on its CPU. */
    @FunctionalInterface
    public interface Trial {
        boolean accepts(boolean kvm, List<String> flags);
    }

    /** What the host accepted and refused, both in {@link #WANTED}'s order. */
    public record Result(List<String> accepted, List<String> refused) {
        public Result {
            accepted = List.copyOf(accepted);
            refused = List.copyOf(refused);
        }
    }

    private final Trial trial;
    private final Map<Boolean, Result> cache = new ConcurrentHashMap<>();

    public HypervProbe(Trial trial) {
        this.trial = trial;
    }

    /** Probes with the real QEMU. */
    public static HypervProbe qemu(ProcessRunner proc) {
        return new HypervProbe((kvm, flags) -> {
            var argv = new ArrayList<>(List.of(
                    QemuCommandLine.QEMU,
                    "-machine",
                    "q35",
                    "-accel",
                    kvm ? "kvm" : "tcg",
                    "-cpu",
                    (kvm ? "host" : "max") + "," + String.join(",", flags),
                    "-m",
                    "32",
                    "-nodefaults",
                    "-no-user-config",
                    "-display",
                    "none",
                    "-S",
                    "-qmp",
                    "stdio"));
            byte[] quit =
                    "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8);
            var r = proc.exec(argv, Duration.ofSeconds(20), null, quit);
            return r.ok() && r.stdout().contains("\"return\"");
        });
    }

    public Result probe(boolean kvm) {
        return cache.computeIfAbsent(kvm, this::ask);
    }

    private Result ask(boolean kvm) {
        var accepted = new ArrayList<String>();
        var refused = new ArrayList<String>();
        for (String flag : WANTED) {
            boolean prerequisites = NEEDS.getOrDefault(flag, List.of()).stream().allMatch(accepted::contains);
            var attempt = new ArrayList<>(accepted);
            attempt.add(flag);
            if (prerequisites && trial.accepts(kvm, attempt)) {
                accepted.add(flag);
            } else {
                refused.add(flag);
            }
        }
        return new Result(accepted, refused);
    }
}
