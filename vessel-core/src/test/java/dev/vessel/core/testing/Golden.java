package dev.vessel.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text (QEMU argv, OCI configs, nft rules, dnsmasq configs) with a checked-in golden file under
 * the module's {@code src/test/resources/golden}. Run with {@code -Dgolden.update=true} to write the files after an
 * intended change, then review the diff. A missing golden file fails: it would otherwise pass by writing itself.
 */
public final class Golden {
    private Golden() {}

    public static void assertMatches(String name, String actual) throws IOException {
        Path file = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file)
                .as("golden file %s is missing (run once with -Dgolden.update=true and review it)", file)
                .exists();
        assertThat(actual)
                .as("golden file %s (rerun with -Dgolden.update=true to accept)", file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
