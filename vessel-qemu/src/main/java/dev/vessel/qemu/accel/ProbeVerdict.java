package dev.vessel.qemu.accel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads probe boots. Only a probe that printed its marker and ended QEMU itself proves that KVM runs guest code; broken
 * nested KVM shows every other ending: "KVM internal error", an assertion in QEMU (e.g. an MSR the host refuses for
 * {@code -cpu host}), a fault that resets the vCPU (QEMU exits 0 under -no-reboot), or a hang. And a KVM that runs
 * the probe more slowly than TCG emulates it (nested virtualisation that resolves every guest page fault through
 * the outer hypervisor) is no use either: a Linux kernel then needs minutes to decompress.
 */
public record ProbeVerdict(boolean works, String reason) {
    private static final Pattern KVM_ERROR = Pattern.compile("KVM internal error[^\\r\\n]*");
    private static final Pattern ANSI = Pattern.compile("\u001B(\\[[0-9;?]*[A-Za-z]|c)");

    /** The verdict on a boot under KVM alone: did the probe run to its end? */
    public static ProbeVerdict judge(ProbeBoot.Outcome o, Duration timeout) {
        String all = o.console() + "\n" + o.errors();
        var kvmError = KVM_ERROR.matcher(all);
        if (kvmError.find()) {
            return broken("QEMU reported \"" + kvmError.group().strip() + "\" while running the probe kernel");
        }
        if (o.console().contains(ProbeKernel.MARKER) && o.exitCode() == ProbeKernel.PASSED && !o.timedOut()) {
            return new ProbeVerdict(
                    true,
                    "KVM works: the probe kernel ran under KVM (long mode, paging, 32 MiB touched,"
                            + " 1,000 I/O exits) in " + seconds(o.elapsed()));
        }
        if (o.timedOut()) {
            return broken("the probe kernel did not finish within " + timeout.toSeconds() + " s" + lastWords(o));
        }
        return broken("QEMU exited with status " + o.exitCode() + " before the probe kernel finished" + lastWords(o));
    }

    /** The verdict once the probe also ran under TCG: KVM that is slower than emulation does not count as working. */
    public static ProbeVerdict compare(ProbeVerdict underKvm, ProbeBoot.Outcome kvm, ProbeBoot.Outcome tcg) {
        if (!underKvm.works() || tcg.timedOut() || !tcg.console().contains(ProbeKernel.MARKER)) {
            return underKvm; // without a TCG run to compare with, the KVM run speaks for itself
        }
        if (kvm.elapsed().compareTo(tcg.elapsed()) > 0) {
            return broken("the probe kernel ran under KVM, but more slowly than TCG emulates it ("
                    + seconds(kvm.elapsed())
                    + " under KVM, " + seconds(tcg.elapsed()) + " under TCG), as nested virtualisation without hardware"
                    + " paging support does");
        }
        return new ProbeVerdict(true, underKvm.reason() + " (TCG: " + seconds(tcg.elapsed()) + ")");
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }

    private static ProbeVerdict broken(String why) {
        return new ProbeVerdict(false, "KVM does not work on this host: " + why);
    }

    /** The last few things QEMU or the guest said, to put the failure in the reason. */
    private static String lastWords(ProbeBoot.Outcome o) {
        List<String> lines = meaningful(o.errors());
        String where = "QEMU said";
        if (lines.isEmpty()) {
            lines = meaningful(o.console());
            where = "last console output";
        }
        if (lines.isEmpty()) {
            return " (no output at all)";
        }
        String said = String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return " (" + where + ": " + (said.length() > 400 ? said.substring(0, 400) + "..." : said) + ")";
    }

    private static List<String> meaningful(String text) {
        var out = new ArrayList<String>();
        for (String line : ANSI.matcher(text).replaceAll("").split("[\\r\\n]+")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.contains("host doesn't support requested feature")) {
                out.add(l);
            }
        }
        return out;
    }
}
