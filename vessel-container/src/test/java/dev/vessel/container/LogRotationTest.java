package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {
    @TempDir
    Path dir;

    @Test
    void aLogPastItsSizeIsCopiedShiftedAndCutAndAnAppendingWriterGoesOn() throws Exception {
        Path log = dir.resolve("container.log");
        try (var writer = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            writer.write("a".repeat(100).getBytes());
            writer.flush();
            assertThat(LogRotation.rotateIfLarger(log, 200, 2)).isFalse();
            writer.write("b".repeat(150).getBytes());
            writer.flush();
            assertThat(LogRotation.rotateIfLarger(log, 200, 2)).isTrue();
            assertThat(Files.size(log)).isZero();
            assertThat(Files.readString(LogRotation.rotated(log, 1))).isEqualTo("a".repeat(100) + "b".repeat(150));
            writer.write("c".repeat(300).getBytes()); // the same open descriptor, as the container's process has
            writer.flush();
            assertThat(Files.readString(log))
                    .as("O_APPEND writes at the new end, no hole")
                    .isEqualTo("c".repeat(300));
            assertThat(LogRotation.rotateIfLarger(log, 200, 2)).isTrue();
            writer.write("d".repeat(300).getBytes());
            writer.flush();
            assertThat(LogRotation.rotateIfLarger(log, 200, 2)).isTrue();
        }
        assertThat(Files.readString(LogRotation.rotated(log, 1))).isEqualTo("d".repeat(300));
        assertThat(Files.readString(LogRotation.rotated(log, 2))).isEqualTo("c".repeat(300));
        assertThat(LogRotation.rotated(log, 3)).as("only max-files kept").doesNotExist();
        assertThat(LogRotation.older(log)).containsExactly(LogRotation.rotated(log, 2), LogRotation.rotated(log, 1));
    }

    @Test
    void zeroFilesOnlyCutsAndZeroSizeNeverRotates() throws Exception {
        Path log = dir.resolve("c.log");
        Files.writeString(log, "x".repeat(5000));
        assertThat(LogRotation.rotateIfLarger(log, 0, 3)).isFalse();
        assertThat(LogRotation.rotateIfLarger(log, 4096, 0)).isTrue();
        assertThat(Files.size(log)).isZero();
        assertThat(LogRotation.older(log)).isEmpty();
    }
}
