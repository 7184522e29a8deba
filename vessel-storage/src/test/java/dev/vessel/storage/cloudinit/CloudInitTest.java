package dev.vessel.storage.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** cloud-init documents from options, and the NoCloud ISO made with xorriso. */
class CloudInitTest {
    private final ProcessRunner proc = new ProcessRunner();
    private final CloudInitDocuments docs = new CloudInitDocuments(proc);
    private static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyFakeKeyFakeKeyFakeKeyFakeKeyFakeKey0 me@laptop";

    @Test
    void aUserWithAPasswordAndKeysGetsAHashNotTheClearText() {
        String y = docs.userData("alice", "s3cret: {x}", List.of(KEY));
        assertThat(y)
                .startsWith("#cloud-config\n")
                .contains("- name: \"alice\"")
                .contains("passwd: \"$6$")
                .contains("ssh_pwauth: true")
                .contains("- \"" + KEY + "\"")
                .doesNotContain("s3cret");
    }

    @Test
    void keysAloneGoToTheDefaultUser() {
        assertThat(docs.userData(null, null, List.of(KEY)))
                .isEqualTo("#cloud-config\nssh_authorized_keys:\n  - \"" + KEY + "\"\n");
    }

    @Test
    void valuesCannotInjectYaml() {
        assertThat(CloudInitDocuments.metaData("vessel-1", "web\nruncmd: [reboot]"))
                .contains("\"web\\nruncmd: [reboot]\"");
        assertThatThrownBy(() -> docs.userData("alice\nroot", null, List.of())).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> docs.userData(null, null, List.of(KEY + "\nruncmd: [x]")))
                .isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> docs.userData(null, null, List.of("not a key")))
                .isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> docs.userData(null, "pw", List.of()))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("user");
        assertThatThrownBy(() -> docs.userData(null, null, List.of())).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> new CloudInitConfig("x".repeat(CloudInitConfig.MAX_DOCUMENT + 1), "m", null))
                .isInstanceOf(VesselException.class);
    }

    @Test
    @EnabledIfSystemProperty(named = "vessel.it", matches = "true")
    void theSeedIsAnIsoLabelledCidataWithTheDocuments() throws Exception {
        Path dir = Files.createTempDirectory("vc-");
        try {
            var cfg = new CloudInitConfig(
                    "#cloud-config\nhostname: web\n",
                    CloudInitDocuments.metaData("vessel-abc", "web"),
                    "version: 2\nethernets: {}\n");
            Path iso = new CloudInitSeed(proc).build(dir, cfg);
            String info = proc.run(
                            List.of("/usr/bin/xorriso", "-indev", iso.toString(), "-pvd_info"), Duration.ofSeconds(30))
                    .stdout();
            assertThat(info).contains("Volume Id    : cidata");
            String ls = proc.run(
                            List.of("/usr/bin/xorriso", "-indev", iso.toString(), "-ls", "/"), Duration.ofSeconds(30))
                    .stdout();
            assertThat(ls).contains("'user-data'", "'meta-data'", "'network-config'");
            Path out = dir.resolve("x");
            proc.run(
                    List.of(
                            "/usr/bin/xorriso",
                            "-osirrox",
                            "on",
                            "-indev",
                            iso.toString(),
                            "-extract",
                            "/meta-data",
                            out.toString()),
                    Duration.ofSeconds(30));
            assertThat(Files.readString(out)).isEqualTo(cfg.metaData());
            assertThat(CloudInitSeed.read(dir)).contains(cfg);
            assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }
}
