package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import org.junit.jupiter.api.Test;

/** Restart policies are read as Docker users write them, and printed back the same way. */
class RestartPolicyTest {
    @Test
    void everyFormDockerAcceptsIsRead() {
        assertThat(RestartPolicy.parse(null)).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.parse("no")).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.parse("on-failure")).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 0));
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 3));
        assertThat(RestartPolicy.parse("always").mode()).isEqualTo(RestartPolicy.Mode.ALWAYS);
        assertThat(RestartPolicy.parse("unless-stopped").mode()).isEqualTo(RestartPolicy.Mode.UNLESS_STOPPED);
    }

    @Test
    void itPrintsAsItIsWritten() {
        for (String s : new String[] {"no", "on-failure", "on-failure:5", "always", "unless-stopped"}) {
            assertThat(RestartPolicy.parse(s)).hasToString(s);
        }
    }

    @Test
    void nonsenseIsRefused() {
        for (String s : new String[] {"sometimes", "always:3", "on-failure:x", "on-failure:-1"}) {
            assertThatThrownBy(() -> RestartPolicy.parse(s))
                    .as(s)
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining("restart");
        }
    }
}
