package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.InstanceState;
import dev.vessel.host.Json;
import dev.vessel.model.InstanceView;
import dev.vessel.model.NicView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
    static String summary(InstanceView v) {
        var b = new ByteArrayOutputStream();
        InspectCommand.summary(new PrintStream(b, true, StandardCharsets.UTF_8), v);
        return b.toString(StandardCharsets.UTF_8);
    }

    static InstanceView created(String kind, dev.vessel.core.model.InstanceSpec spec, List<NicView> nics) {
        return Views.view(kind, new InstanceState.Created(Views.T), spec, nics);
    }

    @Test
    void aContainerWithoutACpuLimitSaysSo() {
        assertThat(summary(created("container", Views.container(0), List.of())))
                .contains("CPUs:      no limit")
                .doesNotContain("0.0");
        assertThat(summary(created("container", Views.container(1.5), List.of())))
                .contains("CPUs:      1.5");
        assertThat(summary(created("container", Views.container(2), List.of()))).contains("CPUs:      2\n");
        assertThat(summary(created("vm", Views.vm(2, false), List.of()))).contains("CPUs:      2\n");
    }

    @Test
    void aNicShowsWhetherTheGuestHoldsItsAddress() {
        var nic = new NicView(0, "default", "10.88.0.2", "0a:56:65:00:00:01", NicView.Lease.RESERVED);
        assertThat(summary(created("vm", Views.vm(1, false), List.of(nic))))
                .contains("nic0 default 10.88.0.2 (MAC 0a:56:65:00:00:01), reserved, not leased");
    }

    @Test
    void anAnswerWithFieldsThisClientDoesNotKnowIsStillRead() {
        // the API grows by adding fields: a newer daemon's answer never breaks an older CLI
        var json = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.MAPPER.valueToTree(created("vm", Views.vm(1, false), List.of()));
        json.put("someFutureField", 42);
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("memory")).put("swap", 7);
        var v = Api.read(json, InstanceView.class);
        assertThat(v.name()).isEqualTo("web");
        assertThat(summary(v)).contains("Name:      web");
    }
}
