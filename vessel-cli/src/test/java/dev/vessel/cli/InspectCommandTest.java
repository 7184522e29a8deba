package dev.vessel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
    static String summary(String json) {
        var b = new ByteArrayOutputStream();
        InspectCommand.summary(new PrintStream(b, true, StandardCharsets.UTF_8), Json.tree(json));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aContainerWithoutACpuLimitSaysSo() {
        String base = "{\"name\":\"c\",\"id\":\"x\",\"kind\":\"container\",\"status\":\"created\",\"state\":{\"status\":\"created\",\"since\":\"2026-12-01T10:00:00Z\"},"
                + "\"memory\":{},\"spec\":{\"cpus\":";
        assertThat(summary(base + "0.0}}")).contains("CPUs:      no limit").doesNotContain("0.0");
        assertThat(summary(base + "1.5}}")).contains("CPUs:      1.5");
        assertThat(summary(base + "2.0}}")).contains("CPUs:      2\n");
        assertThat(summary("{\"name\":\"v\",\"kind\":\"vm\",\"state\":{},\"memory\":{},\"spec\":{\"cpus\":2}}")).contains("CPUs:      2\n");
    }

    @Test
    void aNicShowsWhetherTheGuestHoldsItsAddress() {
        String vm = "{\"name\":\"v\",\"kind\":\"vm\",\"state\":{},\"memory\":{},\"spec\":{},\"networks\":[{\"index\":0,\"network\":\"default\","
                + "\"ip\":\"10.88.0.2\",\"mac\":\"0a:56:65:00:00:01\",\"lease\":{\"state\":\"reserved\"}}]}";
        assertThat(summary(vm)).contains("nic0 default 10.88.0.2 (MAC 0a:56:65:00:00:01), reserved, not leased");
    }
}
