package dev.vessel.qemu.accel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a probe boot. Only a kernel that got as far as looking for its root file system proves that KVM runs
 * guest code; nested KVM that is broken shows every other ending: "KVM internal error", an assertion in QEMU, a
 * triple fault straight after the firmware (QEMU exits 0 under -no-reboot), or a silent hang.
 */
public record ProbeVerdict(boolean works, String reason) {
    private static final List<String> ROOT_MOUNT_REACHED = List.of(
            "VFS: Unable to mount root fs", "VFS: Cannot open root device", "Kernel panic - not syncing: VFS");
    private static final Pattern KVM_ERROR = Pattern.compile("KVM internal error[^\\r\\n]*");
    private static final Pattern ANSI = Pattern.compile("\u001B(\\[[0-9;?]*[A-Za-z]|c)");

    public static ProbeVerdict judge(KvmBoot.Outcome o, Duration timeout) {
        String all = o.console() + "\n" + o.errors();
        var kvmError = KVM_ERROR.matcher(all);
        if (kvmError.find()) {
            return broken("QEMU reported \"" + kvmError.group().strip() + "\" while booting the probe kernel");
        }
        if (ROOT_MOUNT_REACHED.stream().anyMatch(all::contains)) {
            return new ProbeVerdict(true, "KVM works: a probe kernel booted under KVM to its root mount in "
                    + String.format(Locale.ROOT, "%.1f", o.elapsed().toMillis() / 1000.0) + " s");
        }
        if (o.timedOut()) {
            return broken("the probe kernel did not reach its root mount within " + timeout.toSeconds() + " s"
                    + lastWords(o));
        }
        return broken("QEMU exited with status " + o.exitCode() + " before the probe kernel reached its root mount"
                + lastWords(o));
    }

    private static ProbeVerdict broken(String why) {
        return new ProbeVerdict(false, "KVM does not work on this host: " + why);
    }

    /** The last few things QEMU or the guest said, to put the failure in the reason. */
    private static String lastWords(KvmBoot.Outcome o) {
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
