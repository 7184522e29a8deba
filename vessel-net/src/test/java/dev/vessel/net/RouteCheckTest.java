package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteCheckTest {
    static final String ROUTES = """
            [{"dst":"default","gateway":"192.168.1.1","dev":"eth0","flags":[]},
             {"dst":"192.168.1.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.168.1.20","flags":[]},
             {"dst":"10.8.0.1","dev":"tun0","flags":[]},
             {"dst":"10.88.0.0/24","dev":"vsl-b0123456789","flags":["linkdown"]}]
            """;

    @Test
    void aSubnetOverlappingAHostRouteIsRefusedNamingTheRouteAndDevice() {
        assertThatThrownBy(() -> RouteCheck.requireNoOverlap(Cidr.parseSubnet("s", "192.168.0.0/16"), ROUTES))
                .hasMessage("subnet 192.168.0.0/16 overlaps the host's route to 192.168.1.0/24 via eth0");
        assertThatThrownBy(() -> RouteCheck.requireNoOverlap(Cidr.parseSubnet("s", "10.8.0.0/24"), ROUTES))
                .hasMessage("subnet 10.8.0.0/24 overlaps the host's route to 10.8.0.1/32 via tun0");
    }

    @Test
    void theDefaultRouteAndVesselsOwnBridgesDoNotCount() {
        RouteCheck.requireNoOverlap(Cidr.parseSubnet("s", "10.88.0.0/16"), ROUTES);
        RouteCheck.requireNoOverlap(Cidr.parseSubnet("s", "172.20.0.0/16"), "");
    }
}
