package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.VmSpec;
import dev.vessel.engine.project.ProjectRecord;
import dev.vessel.engine.project.ProjectService;
import dev.vessel.engine.testing.EngineHarness;
import dev.vessel.model.ImageImportRequest;
import dev.vessel.model.ProjectFeatures;
import dev.vessel.model.ProjectLimits;
import dev.vessel.model.ProjectRequest;
import dev.vessel.model.VmCreateRequest;
import dev.vessel.model.VmImageView;
import dev.vessel.qemu.FakeImageTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project features through the engine: where a project's images live, and when its features may change. */
class ProjectFeaturesTest {
    @TempDir
    Path dir;

    EngineHarness h;
    ProjectService projects;

    @BeforeEach
    void start() {
        h = EngineHarness.start(dir);
        projects = h.projectService;
    }

    @AfterEach
    void close() {
        h.close();
    }

    void project(String name, Map<String, String> features) {
        projects.create(new ProjectRequest(name, null, Map.of(), features));
    }

    /** Imports a fake qcow2 as VM image {@code name} of {@code project} (null: the default one). */
    void importImage(String project, String name, String data) throws Exception {
        Path src = dir.resolve("src-" + name + "-" + project + ".qcow2");
        FakeImageTool.write(src, "qcow2", 64L << 20, data);
        h.succeed(h.images.importDisk(project, new ImageImportRequest(name, src.toString(), null, null, null)));
    }

    VmSpec vmFromImage(String project, String name, String image) {
        var vm = h.vmCreator.create(
                project,
                new VmCreateRequest(
                        name, image, "64M", 1, "tcg", 5, null, null, null, null, null, null, List.of(), null, null));
        return (VmSpec) vm.spec();
    }

    /** The image a VM's root overlay sits on. */
    String backing(VmSpec vm) {
        return h.machine
                .images()
                .chain(Path.of(vm.boot().disks().getFirst().path()))
                .getFirst()
                .backingFilename();
    }

    static void refused(Runnable call, ProblemType type, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(VesselException.class, e -> {
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aNewProjectHasImagesOfItsOwnAndSharesTheDefaultProjectsNetworksAsInIncus() {
        project("dev", null);
        project("lab", Map.of("networks", "true", "images", "false"));
        assertThat(projects.get("dev").features()).isEqualTo(new ProjectFeatures(true, false));
        assertThat(projects.get("lab").features()).isEqualTo(new ProjectFeatures(false, true));
        assertThat(projects.get("default").features()).isEqualTo(ProjectFeatures.DEFAULT_PROJECT);
        assertThat(projects.imageProject("dev")).isEqualTo("dev");
        assertThat(projects.networkProject("dev")).isEqualTo("default");
        assertThat(projects.imageProject("lab")).isEqualTo("default");
        assertThat(projects.networkProject("lab")).isEqualTo("lab");
        // A project stored before features existed keeps sharing both.
        h.projects.put(new ProjectRecord("old", "", ProjectLimits.NONE, Instant.now(), null));
        assertThat(projects.get("old").features()).isEqualTo(ProjectFeatures.NONE);
        assertThat(projects.imageProject("old")).isEqualTo("default");

        refused(
                () -> project("bad", Map.of("volumes", "true")),
                ProblemType.INVALID_INPUT,
                "unknown feature 'volumes'");
        refused(() -> project("bad", Map.of("images", "yes")), ProblemType.INVALID_INPUT, "'yes' is not true or false");
        assertThat(projects.list()).extracting(p -> p.name()).doesNotContain("bad");
    }

    @Test
    void imagesOfAProjectWithImagesOfItsOwnAreInvisibleFromTheDefaultProjectAndTheOtherWayRound() throws Exception {
        project("dev", null);
        project("shared", Map.of("images", "false"));
        importImage(null, "disk", "default's disk");
        importImage("dev", "disk", "dev's disk");
        importImage("shared", "base", "made in shared, lives in default");

        assertThat(h.images.list("dev")).extracting(VmImageView::name).containsExactly("disk");
        assertThat(h.images.list("dev")).extracting(VmImageView::project).containsExactly("dev");
        assertThat(h.images.list("default")).extracting(VmImageView::name).containsExactlyInAnyOrder("disk", "base");
        assertThat(h.images.list("shared")).extracting(VmImageView::key).containsExactlyInAnyOrder("disk", "base");
        assertThat(h.images.list(null))
                .extracting(VmImageView::key)
                .containsExactlyInAnyOrder("disk", "disk.dev", "base");
        refused(() -> h.images.get("dev", "base"), ProblemType.NOT_FOUND, "image 'base' not found");
        assertThat(Files.isDirectory(dir.resolve("images/disk.dev"))).isTrue();

        // A VM uses its own project's image of that name, and keeps the image's key.
        VmSpec devVm = vmFromImage("dev", "web", "disk");
        VmSpec sharedVm = vmFromImage("shared", "web", "disk");
        assertThat(devVm.image()).isEqualTo("disk.dev");
        assertThat(sharedVm.image()).isEqualTo("disk");
        assertThat(backing(devVm)).contains("/images/disk.dev/");
        assertThat(backing(sharedVm)).contains("/images/disk/");
        refused(() -> vmFromImage("dev", "db", "base"), ProblemType.NOT_FOUND, "image 'base' not found");
        // An image a VM of its project uses stays; the other project's image of the same name is not that one.
        refused(() -> h.images.remove("dev", "disk"), ProblemType.IN_USE, "image 'disk' is used by web.dev");
        h.ops.remove("web.dev", false);
        h.images.remove("dev", "disk");
        assertThat(h.images.list("dev")).isEmpty();
        assertThat(h.images.list("default")).extracting(VmImageView::name).contains("disk");
    }

    @Test
    void theTinyGuestIsBuiltIntoTheRequestsImageProject() {
        project("dev", null);
        h.succeed(h.images.buildTiny("dev", false));
        assertThat(h.images.list("dev")).extracting(VmImageView::name).containsExactlyInAnyOrder("tiny", "tiny-disk");
        assertThat(h.images.list("default")).isEmpty();
        refused(() -> h.images.buildTiny("dev", false), ProblemType.ALREADY_EXISTS, "image 'tiny' already exists");
        h.succeed(h.images.buildTiny(null, false));
        assertThat(h.images.list("default"))
                .extracting(VmImageView::name)
                .containsExactlyInAnyOrder("tiny", "tiny-disk");
        assertThat(h.images.get("dev", "tiny").kernel())
                .startsWith(dir.resolve("images/tiny.dev").toString());
    }

    @Test
    void aFeatureChangesOnlyOnAnEmptyProjectAndNeverForTheDefaultOne() throws Exception {
        project("dev", null);
        importImage("dev", "disk", "x");
        refused(
                () -> projects.update("dev", new ProjectRequest(null, null, null, Map.of("images", "false"))),
                ProblemType.IN_USE,
                "features can only be changed on an empty project: project 'dev' holds image(s) [disk]");
        assertThat(projects.get("dev").features().images()).isTrue();
        h.createVmIn("dev", "web", "a");
        refused(
                () -> projects.update("dev", new ProjectRequest(null, null, null, Map.of("networks", "true"))),
                ProblemType.IN_USE,
                "holds instance(s) [web], image(s) [disk]");
        // The same features again are no change, and a limit still changes.
        projects.update("dev", new ProjectRequest(null, null, Map.of("cpus", "4"), Map.of("images", "true")));
        assertThat(projects.get("dev").limits().cpus()).isEqualTo(4.0);

        h.ops.remove("web.dev", false);
        h.images.remove("dev", "disk");
        var changed = projects.update(
                "dev", new ProjectRequest(null, null, null, Map.of("images", "false", "networks", "true")));
        assertThat(changed.features()).isEqualTo(new ProjectFeatures(false, true));
        refused(
                () -> projects.update("default", new ProjectRequest(null, null, null, Map.of("images", "false"))),
                ProblemType.INVALID_INPUT,
                "the default project's features cannot change");
    }

    @Test
    void aProjectThatHoldsImagesOfItsOwnCannotBeRemoved() throws Exception {
        project("dev", null);
        importImage("dev", "disk", "x");
        refused(() -> projects.remove("dev"), ProblemType.IN_USE, "project 'dev' still holds the image(s) [disk]");
        h.images.remove("dev", "disk");
        projects.remove("dev");
        assertThat(projects.list()).extracting(p -> p.name()).containsExactly("default");
    }

    @Test
    void theNetworkQuotaCountsTheProjectsOwnNetworksAndRefusesOneMoreWithoutMakingIt() {
        project("lab", Map.of("networks", "true"));
        projects.update("lab", new ProjectRequest(null, null, Map.of("networks", "2")));
        h.quotas.networks(() -> List.of("default", "lan.lab", "wan.lab", "lan.other"));
        assertThat(projects.get("lab").usage().networks()).isEqualTo(2);
        var made = new java.util.concurrent.atomic.AtomicBoolean();
        refused(
                () -> h.quotas.admitNetwork("dmz.lab", () -> {
                    made.set(true);
                    return null;
                }),
                ProblemType.QUOTA_EXCEEDED,
                "quota exceeded in project 'lab': networks limit 2, used 2, requested 1");
        assertThat(made).isFalse();
        refused(
                () -> projects.update("lab", new ProjectRequest(null, null, Map.of("networks", "1"))),
                ProblemType.INVALID_INPUT,
                "project 'lab' already holds 2 networks");
        assertThat(h.quotas.admitNetwork("dmz", () -> "made")).isEqualTo("made");
    }
}
