package io.ringfence;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The import rules of docs/architecture.md, checked on the compiled main code of the service and the pure core
 * (bytecode, so fully qualified names and wildcard imports count too). No Spring context: plain JUnit.
 */
class ArchitectureTest {

    /** Packages that hold resources or fleet features: the reconcile machinery must know none of them. */
    private static final String[] FEATURES = {"io.ringfence.reservation..", "io.ringfence.placement..",
            "io.ringfence.fleet..", "io.ringfence.topology..", "io.ringfence.operator..", "io.ringfence.catalog..",
            "io.ringfence.provider..", "io.ringfence.identity..", "io.ringfence.audit.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainCode() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ringfence");
    }

    @Test
    void noCycleBetweenTopLevelPackages() {
        slices().matching("io.ringfence.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void workImportsNoFeature() {
        noClasses().that().resideInAPackage("io.ringfence.work..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES).check(main);
    }

    @Test
    void platformWorkImportsNoFeature() {
        noClasses().that().resideInAPackage("io.ringfence.operations..")
                .should().dependOnClassesThat().resideInAnyPackage("io.ringfence.reservation..",
                        "io.ringfence.placement..", "io.ringfence.fleet..", "io.ringfence.topology..",
                        "io.ringfence.operator..", "io.ringfence.catalog..")
                .check(main);
        noClasses().that().resideInAPackage("io.ringfence.provider..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(main);
    }

    @Test
    void errorsAndThePureCoreStayBelowEverything() {
        noClasses().that().resideInAnyPackage("io.ringfence.error..", "io.ringfence.capacity..",
                        "io.ringfence.planner..", "io.ringfence.spares..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES).check(main);
        noClasses().that().resideInAnyPackage("io.ringfence.capacity..", "io.ringfence.planner..",
                        "io.ringfence.spares..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..",
                        "io.ringfence.contract..")
                .check(main);
    }

    @Test
    void featuresNeverReachUpwards() {
        // reservation below placement below topology: a reservation reaches its placements through work items
        noClasses().that().resideInAnyPackage("io.ringfence.reservation..", "io.ringfence.fleet..")
                .should().dependOnClassesThat().resideInAnyPackage("io.ringfence.placement..",
                        "io.ringfence.topology..", "io.ringfence.operator..", "io.ringfence.catalog..")
                .check(main);
    }
}
