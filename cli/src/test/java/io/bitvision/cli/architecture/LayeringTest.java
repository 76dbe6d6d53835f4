package io.bitvision.cli.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of the house, checked on the compiled classes of every module (the CLI's class path holds them all):
 * the engine depends on nothing of ours nor on Flink or Kafka; the job never reaches for the CLI, the test kit or the
 * benchmarks; operators know nothing of the job.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.bitvision");
    }

    @Test
    void everyModuleIsImported() {
        for (String pkg : new String[] {"io.bitvision.engine", "io.bitvision.schemas", "io.bitvision.operators",
                "io.bitvision.jobs", "io.bitvision.testkit", "io.bitvision.localcluster", "io.bitvision.benchmarks",
                "io.bitvision.cli"}) {
            assertThat(classes.containPackage(pkg)).as(pkg).isTrue();
        }
    }

    @Test
    void theEngineImportsNoFlinkKafkaOrOtherModule() {
        check(noClasses().that().resideInAPackage("io.bitvision.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "org.apache.kafka..",
                        "io.bitvision.schemas..", "io.bitvision.operators..", "io.bitvision.jobs..",
                        "io.bitvision.cli..", "io.bitvision.testkit..", "io.bitvision.benchmarks..",
                        "io.bitvision.localcluster.."));
    }

    @Test
    void theJobImportsNoCliTestkitOrBenchmarks() {
        check(noClasses().that().resideInAPackage("io.bitvision.jobs..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bitvision.cli..", "io.bitvision.testkit..",
                        "io.bitvision.benchmarks..", "io.bitvision.localcluster.."));
    }

    @Test
    void operatorsImportNoJobCliOrTestkit() {
        check(noClasses().that().resideInAPackage("io.bitvision.operators..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bitvision.jobs..", "io.bitvision.cli..",
                        "io.bitvision.testkit..", "io.bitvision.benchmarks..", "io.bitvision.localcluster.."));
    }

    @Test
    void schemasImportOnlyAvro() {
        check(noClasses().that().resideInAPackage("io.bitvision.schemas..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.bitvision.engine..",
                        "io.bitvision.operators..", "io.bitvision.jobs..", "io.bitvision.cli..",
                        "io.bitvision.testkit.."));
    }

    @Test
    void nothingButTheCliImportsTheCli() {
        check(noClasses().that().resideOutsideOfPackage("io.bitvision.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.bitvision.cli.."));
    }

    @Test
    void liveBenchesShareOnlyThroughTheLivePackage() {
        // The fault bench reports its healthy cameras in the scale bench's step format; nothing else crosses.
        String[] kinds = {"pipeline", "scale", "faults", "soak", "faces"};
        for (String kind : kinds) {
            List<String> others = new ArrayList<>();
            for (String other : kinds) {
                if (!other.equals(kind) && !(kind.equals("faults") && other.equals("scale"))) {
                    others.add("io.bitvision.benchmarks." + other + "..");
                }
            }
            check(noClasses().that().resideInAPackage("io.bitvision.benchmarks." + kind + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others.toArray(String[]::new)));
        }
    }

    @Test
    void theRuleCatchesAViolation() {
        // The CLI does import the job; a rule that says it must not has to fail, or the checks above prove nothing.
        EvaluationResult result = noClasses().that().resideInAPackage("io.bitvision.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.bitvision.jobs..").evaluate(classes);
        assertThat(result.hasViolation()).isTrue();
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
