package org.mosaicbeam;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of STYLE.md, checked on the compiled main classes: the launcher ({@code cli}) on top,
 * the pipelines, what they share ({@code detection}, {@code model}, {@code video}, {@code io},
 * {@code args}), and {@code base} at the ground. An arrow only points down, so no two packages may
 * reach each other (jdeps found three such loops: cli/io, model/model.rekognition and
 * anonymize/anonymize.watch).
 */
class ArchitectureTest {
  static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.mosaicbeam");
  }

  @Test
  void noCycleBetweenPackages() {
    // (**) makes every package its own slice: model and model.rekognition are two.
    slices().matching("org.mosaicbeam.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void theLauncherIsOnTop() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.mosaicbeam.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.mosaicbeam.cli..")
        .because("cli dispatches to the subcommands (by class name); what they need lives below")
        .check(main);
  }

  @Test
  void testsAreJUnit5Only() {
    // JUnit 4 stays on the test classpath only because Beam's TestPipeline is a JUnit 4 rule.
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.junit..").and(not(resideInAPackage("org.junit.jupiter.."))))
        .because("JUnit 5 only (issue 13): TestPipeline through TestPipelineExtension")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("org.mosaicbeam"));
  }

  @Test
  void baseIsTheGround() {
    noClasses()
        .that()
        .resideInAPackage("org.mosaicbeam.base..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("org.mosaicbeam.base..", "java..")
        .because("every package may use base, so base may use none of them")
        .check(main);
  }
}
