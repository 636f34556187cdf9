package dev.tally.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward only: bootstrap → adapters → application → domain, and storage and
 * the web never see each other; the Kafka consumer reads its messages with the HTTP adapter's
 * record parsing and error bodies (a message is the HTTP usage record, refused the same way), and
 * nothing sees the Kafka consumer but bootstrap; within a module no two packages depend on each other. Here every
 * module is on the class path, so the whole rule can be checked at once.
 */
class ArchitectureTest {

    private static final JavaClasses TALLY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tally");

    @Test
    void layers_depend_inward_only() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("domain").definedBy("dev.tally.domain..")
                .layer("application").definedBy("dev.tally.application..")
                .layer("jdbc").definedBy("dev.tally.adapter.jdbc..")
                .layer("http").definedBy("dev.tally.adapter.http..")
                .layer("kafka").definedBy("dev.tally.adapter.kafka..")
                .layer("bootstrap").definedBy("dev.tally.bootstrap..")
                .whereLayer("bootstrap").mayNotBeAccessedByAnyLayer()
                .whereLayer("http").mayOnlyBeAccessedByLayers("kafka", "bootstrap")
                .whereLayer("kafka").mayOnlyBeAccessedByLayers("bootstrap")
                .whereLayer("jdbc").mayOnlyBeAccessedByLayers("bootstrap")
                .whereLayer("application").mayOnlyBeAccessedByLayers("http", "jdbc", "kafka", "bootstrap")
                .whereLayer("domain").mayOnlyBeAccessedByLayers("application", "http", "jdbc", "kafka", "bootstrap")
                .check(TALLY);
    }

    @Test
    void storage_knows_nothing_of_the_web_and_the_web_nothing_of_sql() {
        noClasses().that().resideInAPackage("dev.tally.adapter.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "com.fasterxml.jackson..")
                .check(TALLY);
        noClasses().that().resideInAnyPackage("dev.tally.adapter.http..", "dev.tally.adapter.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "javax.sql..",
                        "org.flywaydb..", "com.zaxxer..")
                .check(TALLY);
    }

    /** Every package is a slice, the parent {@code dev.tally.application} (the facade) included. */
    @Test
    void packages_are_free_of_cycles() {
        slices().matching("dev.tally.(**)").should().beFreeOfCycles().check(TALLY);
    }
}
