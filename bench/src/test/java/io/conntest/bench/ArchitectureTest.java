package io.conntest.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module and package rules of {@code docs/architecture.md}, checked over the main class files of every module
 * (bench sees them all): dependencies point downwards only, and no package is part of a cycle.
 */
class ArchitectureTest
{
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses()
    {
        // the modules' main classes, from target/classes under `mvn test` and from their jars under `mvn verify`;
        // never their tests (test-classes, the -tests.jar test-support artifacts)
        main = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.conntest");
    }

    @Test
    void theStackIsPureJavaOnAgronaAlone()
    {
        final ArchRule rule = classes().that().resideInAPackage("io.conntest.stack..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.conntest.stack..", "java..", "org.agrona..")
            .because("the stack is pure Java with agrona only: no JNR, no logging, nothing of the modules above");
        rule.check(main);
    }

    @Test
    void theTapBindingSeesOnlyTheStack()
    {
        noClasses().that().resideInAPackage("io.conntest.tap..")
            .should().dependOnClassesThat().resideInAnyPackage("io.conntest.core..", "io.conntest.cli..",
                "io.conntest.bench..")
            .check(main);
    }

    @Test
    void theCoreSeesNeitherTheTapNorTheCommandLine()
    {
        noClasses().that().resideInAPackage("io.conntest.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.conntest.tap..", "io.conntest.cli..",
                "io.conntest.bench..", "jnr..")
            .because("everything above tap runs in tests over an in-memory device; the TAP is plugged in by the cli")
            .check(main);
    }

    @Test
    void theCommandLineDoesNotSeeTheBench()
    {
        noClasses().that().resideInAPackage("io.conntest.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.conntest.bench..")
            .check(main);
    }

    @Test
    void noCliPackageImportsTheCommandRoot()
    {
        noClasses().that().resideInAPackage("io.conntest.cli.(*)..")
            .should().dependOnClassesThat().resideInAPackage("io.conntest.cli")
            .because("the command root only wires picocli; subcommands reach what they share through "
                + "cli.run.CommandContext")
            .check(main);
    }

    @Test
    void noPackageIsPartOfACycle()
    {
        slices().matching("io.conntest.(**)").should().beFreeOfCycles().check(main);
    }
}
