package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
    @ParameterizedTest
    @ValueSource(
            strings = {"web", "a", "db-1", "0abc", "x23456789012345678901234567890123456789012345678901234567890123"})
    void dnsLabelsAreAccepted(String name) {
        assertThat(Names.requireValid("name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-web",
                "web-",
                "Web",
                "we_b",
                "we.b",
                "../etc",
                "a/b",
                "x234567890123456789012345678901234567890123456789012345678901234",
                "web\n",
                "wéb",
                " web"
            })
    void anythingElseIsRefused(String name) {
        assertThatThrownBy(() -> Names.requireValid("name", name))
                .isInstanceOf(VesselException.class)
                .hasMessageStartingWith("name:");
    }
}
