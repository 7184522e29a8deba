package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import org.junit.jupiter.api.Test;

class InstanceKeyTest {
    @Test
    void theDefaultProjectKeysByTheBareNameAndAnyOtherByNameDotProject() {
        assertThat(InstanceKey.of(null, "web")).isEqualTo("web");
        assertThat(InstanceKey.of("default", "web")).isEqualTo("web");
        assertThat(InstanceKey.of("dev", "web")).isEqualTo("web.dev");
        assertThat(InstanceKey.parse("web.dev")).isEqualTo(new InstanceKey("dev", "web"));
        assertThat(InstanceKey.parse("web")).isEqualTo(new InstanceKey("default", "web"));
        assertThat(InstanceKey.projectOf("web.dev")).isEqualTo("dev");
        assertThat(InstanceKey.nameOf("web.dev")).isEqualTo("web");
        assertThat(InstanceKey.projectOf("web")).isEqualTo("default");
    }

    @Test
    void aKeyIsNeverAmbiguous() {
        for (String bad : new String[] {"", "web.", ".dev", "a.b.c", "web.default", "Web.dev", "web.Dev", "web..dev"}) {
            assertThatThrownBy(() -> InstanceKey.parse(bad)).as(bad).isInstanceOf(VesselException.class);
        }
        assertThatThrownBy(() -> InstanceKey.of("dev", "a.b")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> InstanceKey.of("de.v", "a")).isInstanceOf(VesselException.class);
    }
}
