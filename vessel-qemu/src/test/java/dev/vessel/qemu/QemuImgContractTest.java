package dev.vessel.qemu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/**
 * qemu-img (no root needed) keeps the image tool's promises. Skipped where qemu-utils is not installed; scripts/test
 * installs it first, so CI always runs it.
 */
class QemuImgContractTest extends ImageToolContract {
    private final QemuImg tool = new QemuImg(new ProcessRunner());

    @BeforeAll
    static void needsQemuImg() {
        assumeTrue(
                Files.isExecutable(Path.of(QemuImg.BINARY)),
                "qemu-img is not installed (scripts/setup-host installs it)");
    }

    @Override
    protected ImageTool tool() {
        return tool;
    }
}
