package dev.vessel.engine.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSizesTest {
    @TempDir
    Path dir;

    @Test
    void aQcow2DiskCountsAtItsVirtualSizeARawOneAtItsLengthAMissingOneAtNothing() throws Exception {
        var header = ByteBuffer.allocate(512);
        header.putInt(0, 0x514649fb).putInt(4, 3).putLong(24, 64L << 30);
        Path qcow = Files.write(dir.resolve("d.qcow2"), header.array());
        Path raw = Files.write(dir.resolve("d.raw"), new byte[12345]);
        assertThat(DiskSizes.virtualSize(qcow)).isEqualTo(64L << 30);
        assertThat(DiskSizes.virtualSize(raw)).isEqualTo(12345);
        assertThat(DiskSizes.virtualSize(dir.resolve("gone"))).isZero();
        assertThat(DiskSizes.virtualSize(Files.write(dir.resolve("tiny"), new byte[3])))
                .isEqualTo(3);
    }
}
