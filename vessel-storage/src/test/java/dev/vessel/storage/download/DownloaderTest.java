package dev.vessel.storage.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Downloads from a server on 127.0.0.1 only: progress, resume after a dropped connection, and the SHA-256 check. */
class DownloaderTest {
    private final Downloader downloader = new Downloader();
    private byte[] blob;
    private RangeServer server;
    private Path dir;

    @BeforeEach
    void start() throws Exception {
        blob = new byte[6 << 20];
        new Random(7).nextBytes(blob);
        server = new RangeServer(blob);
        dir = Files.createTempDirectory("vd-");
    }

    @AfterEach
    void stop() {
        server.close();
        AtomicFiles.deleteTree(dir);
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aWholeDownloadReportsProgressAndMatchesItsHash() throws Exception {
        var last = new AtomicLong();
        var r = downloader.fetch(server.uri(), dir.resolve("d.part"), sha(blob), Long.MAX_VALUE, (done, total) -> {
            assertThat(total).isEqualTo(blob.length);
            last.set(done);
        });
        assertThat(last.get()).isEqualTo(blob.length);
        assertThat(r.bytes()).isEqualTo(blob.length);
        assertThat(r.resumed()).isZero();
        assertThat(Files.readAllBytes(r.file())).isEqualTo(blob);
        assertThat(dir.resolve("d.part.json")).doesNotExist();
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeAndStillChecked() throws Exception {
        server.cutAfter.set(2 << 20);
        Path part = dir.resolve("d.part");
        assertThatThrownBy(() -> downloader.fetch(server.uri(), part, sha(blob), Long.MAX_VALUE, (d, t) -> {}))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("resume");
        assertThat(Files.size(part)).isPositive().isLessThan(blob.length);
        var r = downloader.fetch(server.uri(), part, sha(blob), Long.MAX_VALUE, (d, t) -> {});
        assertThat(r.resumed()).isPositive();
        assertThat(server.ranges).last().isEqualTo("bytes=" + r.resumed() + "-");
        assertThat(Files.readAllBytes(part)).isEqualTo(blob);
        assertThat(r.sha256()).isEqualTo(sha(blob));
    }

    @Test
    void aChangedResourceIsFetchedAgainFromTheStart() throws Exception {
        server.cutAfter.set(1 << 20);
        Path part = dir.resolve("d.part");
        assertThatThrownBy(() -> downloader.fetch(server.uri(), part, null, Long.MAX_VALUE, (d, t) -> {}));
        byte[] v2 = blob.clone();
        v2[0] ^= 1;
        server.content = v2;
        server.etag = "\"v2\"";
        var r = downloader.fetch(server.uri(), part, sha(v2), Long.MAX_VALUE, (d, t) -> {});
        assertThat(r.resumed())
                .as("If-Range did not match, so the server sent it all")
                .isZero();
        assertThat(Files.readAllBytes(part)).isEqualTo(v2);
    }

    @Test
    void aPartialFileThatIsAlreadyCompleteIsOnlyChecked() throws Exception {
        Path part = dir.resolve("d.part");
        downloader.fetch(server.uri(), part, null, Long.MAX_VALUE, (d, t) -> {});
        // As if the daemon died after the last byte and before the check: the record of the URL is still there.
        Files.writeString(
                dir.resolve("d.part.json"), "{\"url\":\"" + server.uri() + "\",\"validator\":\"\\\"v1\\\"\"}");
        var r = downloader.fetch(server.uri(), part, sha(blob), Long.MAX_VALUE, (d, t) -> {});
        assertThat(r.resumed()).isEqualTo(blob.length);
        assertThat(r.sha256()).isEqualTo(sha(blob));
    }

    @Test
    void aWrongHashDeletesTheFileSoThatNothingBadIsResumed() throws Exception {
        Path part = dir.resolve("d.part");
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> downloader.fetch(server.uri(), part, wrong, Long.MAX_VALUE, (d, t) -> {}))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("SHA-256");
        assertThat(part).doesNotExist();
    }

    @Test
    void tooLargeForThePoolIsRefused() {
        assertThatThrownBy(() -> downloader.fetch(server.uri(), dir.resolve("d.part"), null, 1 << 20, (d, t) -> {}))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("free");
    }

    @Test
    void onlyHttpUrlsAndRealHashesAreAccepted() {
        for (String bad : new String[] {"file:///etc/passwd", "ftp://127.0.0.1/x", "http:///nohost", "not a url", ""}) {
            assertThatThrownBy(() -> Downloader.parseUrl("url", bad)).as(bad).isInstanceOf(VesselException.class);
        }
        assertThat(Downloader.parseUrl("url", "https://127.0.0.1:8443/a.qcow2").getPort())
                .isEqualTo(8443);
        assertThat(Downloader.checkSha256("sha256", "SHA256:" + "A".repeat(64))).isEqualTo("a".repeat(64));
        assertThatThrownBy(() -> Downloader.checkSha256("sha256", "abc")).isInstanceOf(VesselException.class);
    }
}
