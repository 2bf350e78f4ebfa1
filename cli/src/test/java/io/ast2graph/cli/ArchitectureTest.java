package io.ast2graph.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Dependencies point one way: each stage sees only its own tools, and the contracts see none of them. */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ast2graph");
    }

    @Test
    void theParserNeverSeesNeo4j() {
        noClasses().that().resideInAPackage("io.ast2graph.parser..")
            .should().dependOnClassesThat().resideInAnyPackage("org.neo4j..", "io.ast2graph.writer..")
            .because("parser workers turn source into fragments; only writers talk to the database")
            .check(classes);
    }

    @Test
    void theWriterNeverSeesJavaParser() {
        noClasses().that().resideInAPackage("io.ast2graph.writer..")
            .should().dependOnClassesThat().resideInAnyPackage("com.github.javaparser..", "io.ast2graph.parser..")
            .because("writers take fragments as they come; parsing is the parser workers' job")
            .check(classes);
    }

    @Test
    void theContractsDependOnNoStage() {
        noClasses().that().resideInAPackage("io.ast2graph.common..")
            .should().dependOnClassesThat().resideInAnyPackage("org.neo4j..", "com.github.javaparser..",
                "io.ast2graph.parser..", "io.ast2graph.writer..", "io.ast2graph.producer..", "io.ast2graph.cli..")
            .because("common holds the message contracts and the consume loop that every stage shares")
            .check(classes);
    }

    @Test
    void theProducerNeitherParsesNorWrites() {
        noClasses().that().resideInAPackage("io.ast2graph.producer..")
            .should().dependOnClassesThat().resideInAnyPackage("org.neo4j..", "com.github.javaparser..")
            .because("the producer only walks folders and publishes file references")
            .check(classes);
    }
}
