package dev.vessel.qemu.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The contents of the three guest file systems: the "tiny" initramfs, the disk variant's first-stage initramfs and
 * the ext4 root. The shell scripts come from the resources under {@code /tiny/}; everything else is laid out here.
 */
public final class GuestTrees {
    /** The cmdline every tiny image boots with; the daemon appends {@code vessel.hostname=NAME}. */
    public static final String CMDLINE = "console=ttyS0 panic=-1 quiet";
    /** The line init prints on the serial console once the guest is up. */
    public static final String READY_MARKER = "VESSEL-READY";
    /** The disk variant prints this, followed by the stored marker, just before {@link #READY_MARKER}. */
    public static final String MARKER_PREFIX = "VESSEL-MARKER=";

    static final String RESOURCES = "/tiny/";
    /** Every resource the image is made from; the build fingerprint hashes them all. */
    static final List<String> RESOURCE_NAMES = List.of(
            "init",
            "disk-init",
            "udhcpc.script",
            "vessel-shutdown",
            "shutdown",
            "power-button",
            "profile",
            "cgi-bin/marker",
            "cgi-bin/write");

    /** The static busybox and the applet links it wants, e.g. "bin/sh" (from {@code busybox --list-full}). */
    public record Userland(byte[] busybox, List<String> applets) {
        public Userland {
            applets = List.copyOf(applets);
        }
    }

    /** One kernel module: its path under /lib/modules/VERSION and its bytes. */
    public record ModuleFile(String path, byte[] content) {}

    /** The modules to load at boot, already in load order. */
    public record Modules(String kernelVersion, List<ModuleFile> files) {
        public Modules {
            files = List.copyOf(files);
        }

        public static Modules none(String kernelVersion) {
            return new Modules(kernelVersion, List.of());
        }
    }

    private GuestTrees() {}

    public static FsTree tinyInitramfs(Userland userland, Modules modules) {
        var t = base(userland);
        t.charDevice("/dev/console", 0600, 5, 1); // the kernel opens it for init before devtmpfs is mounted
        t.charDevice("/dev/null", 0666, 1, 3);
        t.file("/init", 0755, resource("init"));
        addModules(t, modules);
        return t;
    }

    public static FsTree diskInitramfs(Userland userland, Modules modules) {
        var t = new FsTree();
        addUserland(t, userland);
        t.dir("/dev", 0755).dir("/proc", 0555).dir("/sys", 0555).dir("/newroot", 0755);
        t.charDevice("/dev/console", 0600, 5, 1);
        t.charDevice("/dev/null", 0666, 1, 3);
        t.file("/init", 0755, resource("disk-init"));
        addModules(t, modules);
        return t;
    }

    /** The ext4 root: the same userland and init, plus the persistent marker and the CGI scripts. */
    public static FsTree rootFs(Userland userland) {
        var t = base(userland);
        t.file("/init", 0755, resource("init"));
        t.file("/etc/vessel/persistent", 0644, "the guest keeps /var/lib/vessel-marker on this disk\n");
        t.dir("/var/lib", 0755);
        t.file("/www/cgi-bin/marker", 0755, resource("cgi-bin/marker"));
        t.file("/www/cgi-bin/write", 0755, resource("cgi-bin/write"));
        return t;
    }

    private static FsTree base(Userland userland) {
        var t = new FsTree();
        addUserland(t, userland);
        t.dir("/dev", 0755)
                .dir("/proc", 0555)
                .dir("/sys", 0555)
                .dir("/run", 0755)
                .dir("/tmp", 01777);
        t.dir("/root", 0700).dir("/var/log", 0755).dir("/var/run", 0755).dir("/www", 0755);
        t.file("/etc/passwd", 0644, "root:x:0:0:root:/root:/bin/sh\n");
        t.file("/etc/group", 0644, "root:x:0:\n");
        t.file("/etc/profile", 0644, resource("profile"));
        t.file("/etc/udhcpc.script", 0755, resource("udhcpc.script"));
        t.file("/sbin/vessel-shutdown", 0755, resource("vessel-shutdown"));
        t.file("/sbin/shutdown", 0755, resource("shutdown"));
        // busybox acpid maps the power button to the action "PWRF/00000080", run relative to /etc/acpi.
        t.file("/etc/acpi/PWRF/00000080", 0755, resource("power-button"));
        return t;
    }

    private static void addUserland(FsTree t, Userland userland) {
        t.file("/bin/busybox", 0755, userland.busybox());
        for (String applet : userland.applets()) {
            String path = "/" + applet;
            if (!t.contains(path)) {
                t.symlink(path, "/bin/busybox");
            }
        }
    }

    private static void addModules(FsTree t, Modules modules) {
        var list = new StringBuilder();
        for (ModuleFile m : modules.files()) {
            String path = "/lib/modules/" + modules.kernelVersion() + "/" + m.path();
            t.file(path, 0644, m.content());
            list.append(path).append('\n');
        }
        t.file("/etc/vessel/modules", 0644, list.toString());
    }

    /**
     * The applet paths from {@code busybox --list-full}: one relative path per line ("bin/sh", "usr/bin/wget").
     * Top-level names such as "linuxrc" are dropped: a guest needs no link at the root, and one called "init"
     * would replace ours.
     */
    public static List<String> parseAppletList(String listFull) {
        var out = new ArrayList<String>();
        for (String line : listFull.lines().toList()) {
            String p = line.strip();
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            if (p.isEmpty() || !p.contains("/") || p.equals("bin/busybox")) {
                continue;
            }
            FsTree.normalise(p); // refuses anything that would climb out of the tree
            out.add(p);
        }
        return out;
    }

    /** The text of one script under resources/tiny/. */
    public static String resource(String name) {
        try (InputStream in = GuestTrees.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
