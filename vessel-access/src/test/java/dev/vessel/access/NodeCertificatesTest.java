package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.access.tls.NodeCertificates;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCertificatesTest {
    @TempDir
    Path dir;

    @Test
    void madeOnceKeptAndRenewedWithTheSameCaWhenAnAddressIsNew() throws Exception {
        var lo = InetAddress.getByName("127.0.0.1");
        var a = NodeCertificates.loadOrCreate(dir, List.of("node1", "localhost"), List.of(lo));
        var again = NodeCertificates.loadOrCreate(dir, List.of("node1", "localhost"), List.of(lo));
        assertThat(again.fingerprint()).isEqualTo(a.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        var renewed = NodeCertificates.loadOrCreate(
                dir, List.of("node1", "localhost"), List.of(lo, InetAddress.getByName("10.1.2.3")));
        assertThat(renewed.fingerprint()).isNotEqualTo(a.fingerprint());
        assertThat(renewed.certificate().getIssuerX500Principal())
                .isEqualTo(a.certificate().getIssuerX500Principal());
        var ca = NodeCertificates.parsePem(Files.readString(renewed.caCertificate()));
        renewed.certificate().verify(ca.getPublicKey());
        assertThat(renewed.certificate().getSubjectAlternativeNames().toString())
                .contains("node1")
                .contains("127.0.0.1")
                .contains("10.1.2.3");
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.p12")).toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }
}
