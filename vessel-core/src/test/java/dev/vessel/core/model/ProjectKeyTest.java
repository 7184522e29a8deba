package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import org.junit.jupiter.api.Test;

class ProjectKeyTest {
    @Test
    void theDefaultProjectKeysByTheBareNameAndAnyOtherByNameDotProject() {
        assertThat(ProjectKey.of(null, "web")).isEqualTo("web");
        assertThat(ProjectKey.of("default", "web")).isEqualTo("web");
        assertThat(ProjectKey.of("dev", "web")).isEqualTo("web.dev");
        assertThat(ProjectKey.parse("web.dev")).isEqualTo(new ProjectKey("dev", "web"));
        assertThat(ProjectKey.parse("web")).isEqualTo(new ProjectKey("default", "web"));
        assertThat(ProjectKey.projectOf("web.dev")).isEqualTo("dev");
        assertThat(ProjectKey.nameOf("web.dev")).isEqualTo("web");
        assertThat(ProjectKey.projectOf("web")).isEqualTo("default");
    }

    @Test
    void aKeyIsNeverAmbiguous() {
        for (String bad : new String[] {"", "web.", ".dev", "a.b.c", "web.default", "Web.dev", "web.Dev", "web..dev"}) {
            assertThatThrownBy(() -> ProjectKey.parse(bad)).as(bad).isInstanceOf(VesselException.class);
        }
        assertThatThrownBy(() -> ProjectKey.of("dev", "a.b")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> ProjectKey.of("de.v", "a")).isInstanceOf(VesselException.class);
    }
}
