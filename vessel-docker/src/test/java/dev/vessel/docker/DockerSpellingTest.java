package dev.vessel.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Docker's spellings: versions, filters, image references, times and the multiplexed stream. */
class DockerSpellingTest {
    @Test
    void versionsOutsideTheRangeGetDockerdsWords() {
        DockerApi.check("1.44");
        DockerApi.check("1.24");
        assertThatThrownBy(() -> DockerApi.check("1.50"))
                .hasMessage("client version 1.50 is too new. Maximum supported API version is 1.44");
        assertThatThrownBy(() -> DockerApi.check("1.12")).hasMessageContaining("is too old");
        assertThatThrownBy(() -> DockerApi.check("2.0")).hasMessageContaining("too new");
        assertThatThrownBy(() -> DockerApi.check("1.x")).hasMessageContaining("invalid API version");
    }

    @Test
    void bothFilterFormsReadAlike() {
        var known = List.of("label", "name", "status");
        var modern =
                ContainerFilters.parse("{\"label\":{\"a=b\":true,\"c\":true},\"status\":{\"exited\":true}}", known);
        var legacy = ContainerFilters.parse("{\"label\":[\"a=b\",\"c\"],\"status\":[\"exited\"]}", known);
        assertThat(modern.filters()).isEqualTo(legacy.filters());
        assertThat(modern.get("label")).containsExactly("a=b", "c");
        assertThat(modern.any("name", n -> false))
                .as("no values: everything matches")
                .isTrue();
        assertThat(modern.any("status", "exited"::equals)).isTrue();
        assertThatThrownBy(() -> ContainerFilters.parse("{\"colour\":[\"x\"]}", known))
                .hasMessage("invalid filter 'colour'");
        assertThatThrownBy(() -> ContainerFilters.parse("[1]", known)).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ContainerFilters.parse("{", known)).hasMessageContaining("invalid filter");
        assertThatThrownBy(() -> ContainerFilters.parse("{\"label\":1}", known)).hasMessageContaining("want a list");
    }

    @Test
    void imageReferencesInTheirFamiliarForm() {
        assertThat(ImageRefs.familiar("docker.io/library/busybox")).isEqualTo("busybox:latest");
        assertThat(ImageRefs.familiar("docker.io/qemux/qemu:7")).isEqualTo("qemux/qemu:7");
        assertThat(ImageRefs.familiar("localhost:5000/team/app")).isEqualTo("localhost:5000/team/app:latest");
        assertThat(ImageRefs.familiar("x@sha256:00")).isEqualTo("x@sha256:00");
        assertThat(ImageRefs.join("busybox", "1.36")).isEqualTo("busybox:1.36");
        assertThat(ImageRefs.join("busybox", "sha256:ab")).isEqualTo("busybox@sha256:ab");
        assertThat(ImageRefs.join("busybox", "")).isEqualTo("busybox");
        assertThat(ImageRefs.sameReference("busybox", "docker.io/library/busybox:latest"))
                .isTrue();
    }

    @Test
    void timesAsGoWritesThem() {
        assertThat(DockerTime.rfc3339(null)).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(DockerTime.rfc3339(Instant.parse("2026-12-05T06:00:00.5Z"))).isEqualTo("2026-12-05T06:00:00.500Z");
        assertThat(DockerTime.human(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(DockerTime.human(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(DockerTime.human(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(DockerTime.human(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(DockerTime.human(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(DockerTime.human(Duration.ofMinutes(61))).isEqualTo("About an hour");
        assertThat(DockerTime.human(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(DockerTime.human(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(DockerTime.human(Duration.ofDays(21))).isEqualTo("3 weeks");
        assertThat(DockerTime.human(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(DockerTime.human(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void eachWriteIsOneFrameWithoutATerminal() throws Exception {
        var sink = new ByteArrayOutputStream();
        var out = StdFrames.of(sink, false, StdFrames.STDERR);
        out.write("hi".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[0]);
        out.write('!');
        assertThat(sink.toByteArray()).containsExactly(2, 0, 0, 0, 0, 0, 0, 2, 'h', 'i', 2, 0, 0, 0, 0, 0, 0, 1, '!');
        assertThat(StdFrames.header(1, 0x01020304)).containsExactly(1, 0, 0, 0, 1, 2, 3, 4);
        var raw = new ByteArrayOutputStream();
        StdFrames.of(raw, true, StdFrames.STDOUT).write("hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(raw.toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
    }
}
