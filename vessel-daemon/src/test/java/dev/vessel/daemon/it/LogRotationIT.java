package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A chatty container's log stays bounded (rotated past its size, one old file kept), and logs / logs -f read across. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class LogRotationIT {
    static DaemonProcess daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess("--container-log-max-size", "16K", "--container-log-max-files", "1").start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vlogrot-");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static int lastLine(String text) {
        var m = Pattern.compile("line-(\\d+)-").matcher(text);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    @Test
    void aChattyContainersLogIsRotatedAndReadAcrossTheRotation() throws Exception {
        String image = ContainerSupport.load(
                daemon,
                work,
                "test/chatty:1",
                t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
                        .set(
                                "Cmd",
                                List.of(
                                        "sh",
                                        "-c",
                                        "i=0; while :; do i=$((i+1)); echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; sleep 0.01; done")));
        String id = ContainerSupport.create(daemon, "{\"name\":\"chatty\",\"image\":\"" + image + "\"}")
                .path("id")
                .asText();
        ContainerSupport.start(daemon, "chatty");
        Path log = daemon.dataDir().resolve("instances").resolve(id).resolve("container.log");

        // follow the log while it is rotated underneath
        var follow = daemon.client().stream("GET", "/api/v1/instances/chatty/logs?follow=true&tail=0");
        var seen = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                follow.body().transferTo(seen);
            } catch (java.io.IOException e) {
                // closed by the test
            }
        });
        for (int i = 0; i < 150 && !Files.exists(Path.of(log + ".1")); i++) {
            Thread.sleep(100);
        }
        assertThat(Path.of(log + ".1")).as("rotated once past 16K").exists();
        Thread.sleep(4000); // at least one more rotation
        follow.close();
        reader.join(5000);

        assertThat(Path.of(log + ".2")).as("only one old file kept").doesNotExist();
        assertThat(Files.size(log)).as("the current log stays near its bound").isLessThan(256 * 1024);
        String followed = seen.toString(StandardCharsets.UTF_8);
        assertThat(lastLine(followed))
                .as("the follower went on past the rotation")
                .isPositive();
        String whole = ContainerSupport.logs(daemon, "chatty");
        assertThat(whole)
                .as("the whole log starts with the rotated file")
                .startsWith(Files.readString(Path.of(log + ".1")).substring(0, 20));
        assertThat(lastLine(whole)).isGreaterThanOrEqualTo(lastLine(followed) - 1);
        daemon.client().call("DELETE", "/api/v1/instances/chatty?force=true", null);
        assertThat(Path.of(log + ".1")).as("rotated logs go with the container").doesNotExist();
    }
}
