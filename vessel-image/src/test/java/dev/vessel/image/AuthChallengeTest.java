package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.image.registry.AuthChallenge;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void dockerHubsBearerChallengeYieldsRealmServiceAndScope() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");

        assertThat(c.isBearer()).isTrue();
        assertThat(c.realm()).isEqualTo("https://auth.docker.io/token");
        assertThat(c.service()).isEqualTo("registry.docker.io");
        assertThat(c.scope()).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void spacesAfterCommasUnquotedValuesAndEscapesAreUnderstood() {
        AuthChallenge c =
                AuthChallenge.parse("bearer realm=https://ghcr.io/token, service=\"ghcr.io\", scope=\"a\\\"b,c\"");

        assertThat(c.params())
                .isEqualTo(Map.of("realm", "https://ghcr.io/token", "service", "ghcr.io", "scope", "a\"b,c"));
    }

    @Test
    void aBasicChallengeIsRecognised() {
        AuthChallenge c = AuthChallenge.parse("Basic realm=\"Registry Realm\"");

        assertThat(c.isBasic()).isTrue();
        assertThat(c.realm()).isEqualTo("Registry Realm");
    }

    @Test
    void anUnterminatedQuoteIsRefused() {
        assertThatThrownBy(() -> AuthChallenge.parse("Bearer realm=\"https://x"))
                .hasMessageContaining("unterminated quoted value");
    }
}
