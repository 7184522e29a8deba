package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.project.ProjectService;
import dev.vessel.engine.testing.EngineHarness;
import dev.vessel.model.ProjectRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Projects and their quotas through the engine's real create path, on fake drivers and a real store. */
class ProjectQuotaTest {
    @TempDir
    Path dir;

    EngineHarness h;
    ProjectService projects;

    @BeforeEach
    void start() {
        h = EngineHarness.start(dir);
        projects = new ProjectService(h.projects, h.instances, h.quotas, h.events, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        h.close();
    }

    private void project(String name, Map<String, String> limits) {
        projects.create(new ProjectRequest(name, null, limits));
    }

    private long leftDirs() throws Exception {
        try (var s = Files.list(dir.resolve("instances"))) {
            return s.count();
        }
    }

    @Test
    void aNameIsUniqueWithinItsProjectOnly() {
        project("dev", Map.of());
        var plain = h.createVm("web", "a");
        var dev = h.createVmIn("dev", "web", "b");
        assertThat(plain.name()).isEqualTo("web");
        assertThat(dev.name()).isEqualTo("web.dev");
        assertThat(dev.project()).isEqualTo("dev");
        assertThat(dev.shortName()).isEqualTo("web");
        assertThat(dev.id()).isNotEqualTo(plain.id());
        assertThatThrownBy(() -> h.createVmIn("dev", "web", "c"))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.ALREADY_EXISTS));
        assertThat(projects.get("dev").usage().instances()).isEqualTo(1);
        assertThat(projects.get("default").usage().instances()).isEqualTo(1);
    }

    @Test
    void goingOverAQuotaIsRefusedWithTheLimitTheUseAndTheRequestAndNothingIsStored() throws Exception {
        project("dev", Map.of("instances", "2", "memory", "512M"));
        h.createVmIn("dev", "a", "x");
        h.createVmIn("dev", "b", "x");
        long dirs = leftDirs();
        assertThatThrownBy(() -> h.createVmIn("dev", "c", "x")).isInstanceOfSatisfying(VesselException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
            assertThat(e.type().status()).isEqualTo(409);
            assertThat(e.getMessage())
                    .isEqualTo("quota exceeded in project 'dev': instances limit 2, used 2, requested 1");
            assertThat(e.details())
                    .containsEntry("project", "dev")
                    .containsEntry("limit", "instances")
                    .containsEntry("max", 2)
                    .containsEntry("used", 2)
                    .containsEntry("requested", 1);
        });
        assertThat(h.instances.list()).hasSize(2);
        assertThat(leftDirs()).isEqualTo(dirs);
        // Another project, and the default one, are not held by dev's quota.
        h.createVm("c", "x");
        projects.update("dev", new ProjectRequest(null, null, Map.of("instances", "")));
        assertThatThrownBy(() -> h.createVmIn("dev", "c", "x")).isInstanceOfSatisfying(VesselException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
            assertThat(e.details()).containsEntry("limit", "memory").containsEntry("used", 512L << 20);
            assertThat(e.getMessage()).contains("memory limit 512MiB, used 512MiB, requested 256MiB");
        });
        assertThat(h.instances.list()).hasSize(3);
    }

    @Test
    void theDiskQuotaCountsTheWritableDisksOnceTheyExistAndLeavesNoFilesWhenItRefuses() throws Exception {
        project("dev", Map.of("disk", "1K"));
        long dirs = leftDirs();
        assertThatThrownBy(() -> h.createVmIn("dev", "big", "x".repeat(4096)))
                .isInstanceOfSatisfying(VesselException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
                    assertThat(e.details()).containsEntry("limit", "disk");
                });
        assertThat(h.instances.list()).isEmpty();
        assertThat(leftDirs()).isEqualTo(dirs);
        h.createVmIn("dev", "small", "x");
        assertThat(projects.get("dev").usage().disk()).isPositive();
    }

    @Test
    void concurrentCreatesNeverTakeMoreThanTheQuota() throws Exception {
        project("dev", Map.of("instances", "3"));
        var results = new ArrayList<java.util.concurrent.Future<?>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                String name = "vm" + i;
                results.add(pool.submit(() -> h.createVmIn("dev", name, "x")));
            }
        }
        int made = 0;
        for (var f : results) {
            try {
                f.get();
                made++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(((VesselException) e.getCause()).type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
            }
        }
        assertThat(made).isEqualTo(3);
        assertThat(h.instances.list()).hasSize(3);
    }

    @Test
    void limitsCannotGoBelowTheUseAndAProjectGoesOnlyWhenEmpty() {
        project("dev", Map.of("cpus", "4"));
        h.createVmIn("dev", "a", "x");
        h.createVmIn("dev", "b", "x");
        assertThatThrownBy(() -> projects.update("dev", new ProjectRequest(null, null, Map.of("cpus", "1"))))
                .isInstanceOfSatisfying(VesselException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("already holds 2 cpus");
                });
        assertThat(projects.get("dev").limits().cpus()).isEqualTo(4.0);
        assertThatThrownBy(() -> projects.update("dev", new ProjectRequest(null, null, Map.of("gpus", "1"))))
                .hasMessageContaining("unknown limit 'gpus'");
        assertThatThrownBy(() -> projects.update("dev", new ProjectRequest(null, null, Map.of("memory", "lots"))))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT));
        assertThatThrownBy(() -> projects.remove("dev"))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.IN_USE));
        assertThatThrownBy(() -> projects.remove("default")).hasMessageContaining("cannot be removed");
        h.ops.remove("a.dev", true);
        h.ops.remove("b.dev", true);
        projects.remove("dev");
        assertThat(projects.list()).extracting(p -> p.name()).containsExactly("default");
    }

    @Test
    void aProjectMustExistAndHaveAValidName() {
        assertThatThrownBy(() -> h.createVmIn("nope", "a", "x"))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        assertThat(h.instances.list()).isEmpty();
        assertThatThrownBy(() -> project("Bad_Name", Map.of()))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT));
        assertThatThrownBy(() -> project("default", Map.of()))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.ALREADY_EXISTS));
    }
}
