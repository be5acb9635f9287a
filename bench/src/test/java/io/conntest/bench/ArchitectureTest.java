package io.conntest.bench;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module and package rules of {@code docs/architecture.md}, checked over the main class files of every module
 * (bench sees them all): dependencies point downwards only, and no package is part of a cycle.
 */
class ArchitectureTest
{
    private static final DescribedPredicate<JavaClass> UNSAFE =
        resideInAPackage("sun.misc").and(simpleName("Unsafe")).as("sun.misc.Unsafe");
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
            .should().onlyDependOnClassesThat(resideInAnyPackage("io.conntest.stack..", "java..", "org.agrona..")
                .or(UNSAFE))
            .because("the stack is pure Java with agrona only: no JNR, no logging, nothing of the modules above");
        rule.check(main);
    }

    /**
     * The one exception to the rule above: the checksum reads memory through the {@code sun.misc.Unsafe} that agrona
     * itself uses (the JDK's {@code jdk.unsupported}), after checking the whole run's bounds once, because agrona's
     * accessors check them again on every 8-byte load and that halved its speed. Nowhere else.
     */
    @Test
    void onlyTheChecksumReadsMemoryRaw()
    {
        final ArchRule rule = noClasses().that().resideInAPackage("io.conntest..")
            .and().doNotHaveFullyQualifiedName("io.conntest.stack.wire.Checksum")
            .should().dependOnClassesThat(UNSAFE)
            .because("raw memory access is confined to the checksum's inner loop, bounds checked once per run");
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
