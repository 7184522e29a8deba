package dev.vessel.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the docker CLI and compose send to /containers/create, as the engine's create request. */
class ContainerCreateTest {
    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void theCliOfDockerRunMapsFieldForField() throws Exception {
        // what docker 28.2 sends for: run -d --name My_App -p 8080:80 -p 53/udp -v /srv:/data:ro -e A=1 -m 64m
        //   --cpus 1.5 -w /w -u 1000 --restart on-failure:3 --label team=x --entrypoint sh busybox -c true
        var body = json("""
                {"Image":"busybox","Entrypoint":["sh"],"Cmd":["-c","true"],"Env":["A=1"],"WorkingDir":"/w",
                 "User":"1000","Labels":{"team":"x","dev.vessel.docker.name":"forged"},"Tty":false,"OpenStdin":false,
                 "HostConfig":{"Binds":["/srv:/data:ro"],"Memory":67108864,"NanoCpus":1500000000,
                   "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"NetworkMode":"default",
                   "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}],"53/udp":[{"HostIp":"","HostPort":""}]},
                   "Devices":[],"CapAdd":null,"Privileged":false},
                 "NetworkingConfig":{"EndpointsConfig":{"default":{}}}}
                """);
        var r = ContainerCreate.request(body, "My_App", () -> 40001);
        assertThat(r.name()).isEqualTo("my-app");
        assertThat(r.labels())
                .as("the forged hidden label is dropped, the real Docker name kept")
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "x", ContainerRefs.NAME_LABEL, "My_App"));
        assertThat(r.image()).isEqualTo("busybox");
        assertThat(r.entrypoint()).containsExactly("sh");
        assertThat(r.command()).containsExactly("-c", "true");
        assertThat(r.env()).containsExactly("A=1");
        assertThat(r.workdir()).isEqualTo("/w");
        assertThat(r.user()).isEqualTo("1000");
        assertThat(r.volumes()).containsExactly("/srv:/data:ro");
        assertThat(r.memory()).isEqualTo("67108864");
        assertThat(r.cpus()).isEqualTo(1.5);
        assertThat(r.restart()).isEqualTo("on-failure:3");
        assertThat(r.network())
                .as("default and bridge are the daemon's default network")
                .isNull();
        assertThat(r.ports()).containsExactlyInAnyOrder("8080:80/tcp", "40001:53/udp");
        assertThat(r.tty()).isNull();
        assertThat(r.autoRemove()).isNull();
    }

    @Test
    void aDnsLabelNameNeedsNoHiddenLabel() throws Exception {
        var r = ContainerCreate.request(json("{\"Image\":\"busybox\"}"), "/web1", () -> 1);
        assertThat(r.name()).isEqualTo("web1");
        assertThat(r.labels()).isNull();
        assertThat(r.command()).isNull();
    }

    @Test
    void composeMountsTmpfsAndItsProjectNetwork() throws Exception {
        var body = json("""
                {"Image":"busybox","Entrypoint":[""],
                 "HostConfig":{"Mounts":[{"Type":"volume","Source":"proj_data","Target":"/data"},
                                         {"Type":"bind","Source":"/etc/x","Target":"/x","ReadOnly":true},
                                         {"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1048576}}],
                               "Tmpfs":{"/run":"size=64k"},"CpuQuota":50000,"AutoRemove":true,"PidsLimit":100},
                 "NetworkingConfig":{"EndpointsConfig":{"proj_default":{"Aliases":["web"]}}}}
                """);
        var r = ContainerCreate.request(body, null, () -> 1);
        assertThat(r.name()).isNull();
        assertThat(r.entrypoint()).as("--entrypoint \"\" clears the image's").isEmpty();
        assertThat(r.volumes()).containsExactly("proj_data:/data", "/etc/x:/x:ro");
        assertThat(r.tmpfs()).containsExactly("/t:size=1048576", "/run:size=64k");
        assertThat(r.cpus()).isEqualTo(0.5);
        assertThat(r.autoRemove()).isTrue();
        assertThat(r.pidsLimit()).isEqualTo(100);
        assertThat(r.network()).isEqualTo("proj_default");
    }

    @Test
    void whatVesselDoesNotDoIsRefusedByName() throws Exception {
        for (var c : List.of(
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"Privileged\":true}}", "privileged"),
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\"}]}}", "Devices"),
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}}", "CapAdd"),
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"NetworkMode\":\"container:x\"}}", "container:NAME"),
                List.of("{\"Image\":\"\"}", "config cannot be empty"),
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"Memory\":-1}}", "negative"),
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"PortBindings\":{\"x/tcp\":[]}}}", "invalid port"),
                List.of("{\"Image\":\"b\",\"HostConfig\":{\"PortBindings\":{\"99999/tcp\":[]}}}", "invalid port"),
                List.of(
                        "{\"Image\":\"b\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"0x50\"}]}}}",
                        "invalid host port"),
                List.of(
                        "{\"Image\":\"b\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/d\"}]}}",
                        "Source is required"),
                List.of(
                        "{\"Image\":\"b\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"npipe\",\"Target\":\"/d\"}]}}",
                        "not supported"))) {
            assertThatThrownBy(() -> ContainerCreate.request(json(c.get(0)), null, () -> 1))
                    .as(c.get(0))
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining(c.get(1));
        }
    }

    @Test
    void dockerNamesAreCheckedAsDockerdChecksThem() {
        assertThat(ContainerRefs.vesselName("Proj_Web.1")).isEqualTo("proj-web-1");
        for (String bad : List.of("-x", "a b", "x", "ü1", "a/b")) {
            assertThatThrownBy(() -> ContainerRefs.vesselName(bad))
                    .as(bad)
                    .hasMessageContaining("Invalid container name");
        }
    }
}
