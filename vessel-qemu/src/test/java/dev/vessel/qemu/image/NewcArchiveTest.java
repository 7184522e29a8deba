package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.host.ProcessRunner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class NewcArchiveTest {
    /** One entry as read back: the fields a kernel cares about. */
    record Read(String name, int mode, int uid, int rdevMajor, int rdevMinor, byte[] data) {}

    static FsTree sample() {
        return new FsTree()
                .file("/init", 0755, "#!/bin/sh\necho hi\n")
                .file("/etc/odd", 0600, "12345") // a length that needs padding
                .symlink("/bin/sh", "/bin/busybox")
                .charDevice("/dev/console", 0600, 5, 1)
                .dir("/tmp", 01777);
    }

    static List<Read> read(byte[] archive) {
        var out = new ArrayList<Read>();
        int off = 0;
        while (true) {
            String header = new String(archive, off, 110, StandardCharsets.US_ASCII);
            assertThat(header).startsWith("070701");
            int[] f = new int[13];
            for (int i = 0; i < 13; i++) {
                f[i] = Integer.parseUnsignedInt(header.substring(6 + 8 * i, 14 + 8 * i), 16);
            }
            int nameSize = f[11];
            String name = new String(archive, off + 110, nameSize - 1, StandardCharsets.UTF_8);
            off = align(off + 110 + nameSize);
            byte[] data = java.util.Arrays.copyOfRange(archive, off, off + f[6]);
            off = align(off + f[6]);
            if (name.equals("TRAILER!!!")) {
                assertThat(off).isEqualTo(archive.length);
                return out;
            }
            out.add(new Read(name, f[1], f[2], f[9], f[10], data));
        }
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    @Test
    void everyEntryIsWrittenWithItsTypeModeAndContentAndParentsComeFirst() {
        List<Read> entries = read(NewcArchive.write(sample()));
        assertThat(entries)
                .extracting(Read::name)
                .containsExactly("bin", "bin/sh", "dev", "dev/console", "etc", "etc/odd", "init", "tmp");
        Read init = entries.get(6);
        assertThat(init.mode()).isEqualTo(0100755);
        assertThat(new String(init.data(), StandardCharsets.UTF_8)).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(entries.get(1).mode()).isEqualTo(0120777);
        assertThat(new String(entries.get(1).data(), StandardCharsets.UTF_8)).isEqualTo("/bin/busybox");
        Read console = entries.get(3);
        assertThat(console.mode()).isEqualTo(0020600);
        assertThat(console.rdevMajor()).isEqualTo(5);
        assertThat(console.rdevMinor()).isEqualTo(1);
        assertThat(entries.get(7).mode()).isEqualTo(0041777);
        assertThat(entries).allMatch(e -> e.uid() == 0);
    }

    @Test
    void theSameTreeGivesTheSameBytes() {
        assertThat(NewcArchive.writeGzip(sample())).isEqualTo(NewcArchive.writeGzip(sample()));
    }

    @Test
    void theGzipVariantDecompressesToThePlainArchive() throws Exception {
        byte[] gz = NewcArchive.writeGzip(sample());
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(NewcArchive.write(sample()));
        }
    }

    @Test
    void gnuCpioReadsTheArchive() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")), "GNU cpio is not installed");
        var r = new ProcessRunner()
                .exec(List.of("cpio", "-it", "--quiet"), Duration.ofSeconds(30), null, NewcArchive.write(sample()));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines())
                .containsExactly("bin", "bin/sh", "dev", "dev/console", "etc", "etc/odd", "init", "tmp");
    }
}
