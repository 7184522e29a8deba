package dev.vessel.dist;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, as rules the build checks: no package imports another in a circle, the engine knows no face,
 * no face knows another, drivers know neither, and the domain core knows nothing of ours. See docs/architecture.md.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vessel");
    }

    @Test
    void noPackageImportsAnotherInACircle() {
        slices().matching("dev.vessel.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCoreImportsNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("dev.vessel.core..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("dev.vessel.core..", "java..", "com.fasterxml.jackson.annotation..")
                .check(classes);
    }

    @Test
    void driversKnowNeitherTheEngineNorAFace() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.vessel.host..",
                        "dev.vessel.oci..",
                        "dev.vessel.qemu..",
                        "dev.vessel.net..",
                        "dev.vessel.storage..",
                        "dev.vessel.container..",
                        "dev.vessel.image..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vessel.engine..",
                        "dev.vessel.rest..",
                        "dev.vessel.http..",
                        "dev.vessel.cli..",
                        "dev.vessel.daemon..",
                        "dev.vessel.model..")
                .check(classes);
    }

    @Test
    void theEngineKnowsNoFace() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.vessel.engine..", "dev.vessel.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.vessel.rest..",
                        "dev.vessel.docker..",
                        "dev.vessel.http..",
                        "dev.vessel.cli..",
                        "dev.vessel.daemon..",
                        "dev.vessel.dist..")
                .check(classes);
    }

    @Test
    void facesCallOnlyTheEnginesServices() {
        // a face parses its protocol and maps results: the engine's classes behind its services, and the drivers, are
        // not its business
        noClasses()
                .that()
                .resideInAnyPackage("dev.vessel.rest..", "dev.vessel.docker..")
                .should()
                .dependOnClassesThat(resideInAnyPackage(
                                "dev.vessel.qemu..",
                                "dev.vessel.oci..",
                                "dev.vessel.net..",
                                "dev.vessel.storage..",
                                "dev.vessel.container..",
                                "dev.vessel.image..")
                        .or(resideInAPackage("dev.vessel.engine..")
                                .and(not(resideInAPackage("dev.vessel.engine.service..")))))
                .check(classes);
    }

    @Test
    void noFaceKnowsAnother() {
        noClasses()
                .that()
                .resideInAPackage("dev.vessel.rest..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.vessel.cli..", "dev.vessel.docker..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.vessel.docker..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.vessel.cli..", "dev.vessel.rest..", "dev.vessel.web..", "dev.vessel.daemon..")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.vessel.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.vessel.rest..", "dev.vessel.engine..", "dev.vessel.daemon..")
                .check(classes);
    }
}
