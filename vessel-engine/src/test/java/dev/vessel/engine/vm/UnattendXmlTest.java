package dev.vessel.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Firmware;
import dev.vessel.core.testing.Golden;
import dev.vessel.engine.vm.windows.FirstLogon;
import dev.vessel.engine.vm.windows.UnattendXml;
import dev.vessel.model.UnattendRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The answer file and first-logon script an unattended Windows setup gets, as golden files. */
class UnattendXmlTest {
    static final UnattendRequest R =
            new UnattendRequest("alice", "s3cret&<pw>", "de-DE", "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY", null, null);

    @Test
    void uefiWithDriversHasTheGoldenAnswerFile() throws Exception {
        var xml = UnattendXml.render(UnattendXml.checked(R, "desk"), Firmware.UEFI_SECURE, "w11");
        Golden.assertMatches("autounattend-uefi-w11.xml", xml);
        assertThat(xml).doesNotContain("s3cret").contains("<Type>EFI</Type>").contains("E:\\viostor\\w11\\amd64");
        String encoded = Base64.getEncoder().encodeToString("s3cret&<pw>Password".getBytes(StandardCharsets.UTF_16LE));
        assertThat(xml).contains("<Value>" + encoded + "</Value>").contains("<ComputerName>desk</ComputerName>");
        // well-formed XML
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void biosWithoutDriversHasTheGoldenAnswerFile() throws Exception {
        var xml = UnattendXml.render(
                UnattendXml.checked(
                        new UnattendRequest("bob", "pw", null, null, "W. Europe Standard Time", "ws1"), "x"),
                Firmware.BIOS,
                null);
        Golden.assertMatches("autounattend-bios.xml", xml);
        assertThat(xml)
                .contains("<Active>true</Active>")
                .doesNotContain("ProductKey")
                .doesNotContain("viostor");
        assertThat(FirstLogon.script()).contains("fDenyTSConnections").contains("qemu-ga-x86_64.msi");
    }

    @Test
    void valuesWindowsWouldNotTakeAreRefusedByField() {
        for (var bad : new String[][] {
            {"unattend.user", "al ice", "pw", null, null},
            {"unattend.password", "alice", "", null, null},
            {"unattend.locale", "alice", "pw", "german", null},
            {"unattend.key", "alice", "pw", null, "1234"},
        }) {
            var r = new UnattendRequest(bad[1], bad[2], bad[3], bad[4], null, null);
            assertThatThrownBy(() -> UnattendXml.checked(r, "vm"))
                    .isInstanceOf(VesselException.class)
                    .satisfies(e -> assertThat(((VesselException) e).details().get("field"))
                            .isEqualTo(bad[0]));
        }
        assertThat(R.toString()).doesNotContain("s3cret");
    }
}
