package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.image.oci.ImageReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @ParameterizedTest(name = "{0} is {1} / {2} : {3} @ {4}")
    @CsvSource(
            nullValues = "-",
            value = {
                "busybox,                          docker.io,        library/busybox,   latest, -",
                "busybox:1.36,                     docker.io,        library/busybox,   1.36,   -",
                "library/busybox,                  docker.io,        library/busybox,   latest, -",
                "docker.io/busybox,                docker.io,        library/busybox,   latest, -",
                "index.docker.io/library/busybox,  docker.io,        library/busybox,   latest, -",
                "user/app:v2,                      docker.io,        user/app,          v2,     -",
                "ghcr.io/org/team/app:1.0-rc_1,    ghcr.io,          org/team/app,      1.0-rc_1, -",
                "localhost:5000/app,               localhost:5000,   app,               latest, -",
                "localhost/app:dev,                localhost,        app,               dev,    -",
                "127.0.0.1:5000/a/b:c,             127.0.0.1:5000,   a/b,               c,      -",
                "[::1]:5000/app:x,                 [::1]:5000,       app,               x,      -",
                "quay.io/a.b/c__d/e--f:t,          quay.io,          a.b/c__d/e--f,     t,      -",
                "busybox@sha256:" + HEX + ",       docker.io,        library/busybox,   -,      sha256:" + HEX,
                "host:5000/x:tag@sha256:" + HEX + ", host:5000,      x,                 tag,    sha256:" + HEX,
            })
    void validReferencesParseWithDockerDefaults(
            String text, String registry, String repository, String tag, String digest) {
        ImageReference r = ImageReference.parse(text);

        assertThat(r.registry()).isEqualTo(registry);
        assertThat(r.repository()).isEqualTo(repository);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.digest() == null ? null : r.digest().toString()).isEqualTo(digest);
    }

    @ParameterizedTest(name = "{0} is stored as {1}")
    @CsvSource({
        "busybox,                    busybox:latest",
        "docker.io/library/debian:12, debian:12",
        "user/app:v2,                user/app:v2",
        "localhost:5000/app,         localhost:5000/app:latest",
        "busybox@sha256:" + HEX + ", busybox@sha256:" + HEX,
    })
    void theLocalNameDropsDockerHubPrefixes(String text, String local) {
        assertThat(ImageReference.parse(text).localRef()).isEqualTo(local);
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Busybox             | repository name must be lowercase",
                "busybox:            | invalid tag ''",
                "busybox:-x          | invalid tag '-x'",
                "busybox:a/b         | invalid registry host",
                "busybox@sha256:abc  | invalid digest 'sha256:abc'",
                "busybox@md5:" + "d41d8cd98f00b204e9800998ecf8427e | invalid digest",
                "a//b                | invalid repository name component ''",
                "-app                | invalid repository name component '-app'",
                "app_                | invalid repository name component 'app_'",
                "localhost:5000/     | the repository name is empty",
                "host:port:5000/app  | invalid registry host",
                "has space           | invalid repository name component 'has space'",
            })
    void invalidReferencesAreRefusedWithTheReason(String text, String why) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("invalid reference format")
                .hasMessageContaining(why);
    }

    @org.junit.jupiter.api.Test
    void anEmptyReferenceIsRefused() {
        assertThatThrownBy(() -> ImageReference.parse(" ")).hasMessageContaining("an image reference is required");
    }
}
