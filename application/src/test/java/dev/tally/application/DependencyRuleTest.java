package dev.tally.application;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core stays embeddable: {@code domain} uses {@code java.*} only, and {@code application}
 * uses the domain, {@code java.*} and {@code jakarta.inject}; neither touches JDBI, Javalin,
 * Jackson, JDBC or SQL. (The build's enforcer rules guard the declared dependencies; this guards
 * the code itself.)
 */
class DependencyRuleTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tally.domain", "dev.tally.application");

    @Test
    void domain_depends_on_java_only() {
        classes().that().resideInAPackage("dev.tally.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tally.domain..")
                .check(CORE);
    }

    @Test
    void application_depends_on_the_domain_java_and_jakarta_inject_only() {
        classes().that().resideInAPackage("dev.tally.application..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.tally.domain..", "dev.tally.application..", "jakarta.inject..")
                .check(CORE);
    }

    @Test
    void nothing_in_the_core_touches_storage_or_web_frameworks() {
        noClasses().that().resideInAnyPackage("dev.tally.domain..", "dev.tally.application..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.jdbi..", "io.javalin..", "com.fasterxml.jackson..", "java.sql..", "javax.sql..")
                .check(CORE);
    }

    @Test
    void the_domain_never_reads_the_wall_clock() {
        noClasses().that().resideInAPackage("dev.tally.domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(CORE);
    }
}
