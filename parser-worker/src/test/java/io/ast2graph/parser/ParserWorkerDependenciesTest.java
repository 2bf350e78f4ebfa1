package io.ast2graph.parser;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dependencies point one way: the parser turns sources into fragments and never talks to the graph database. */
class ParserWorkerDependenciesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.neo4j.driver.Driver", "org.neo4j.graphdb.GraphDatabaseService"})
    void neo4jIsNotOnTheParserWorkersClassPath(String neo4jClass) {
        assertThatThrownBy(() -> Class.forName(neo4jClass))
            .as("parser-worker must not depend on Neo4j; only writer-worker writes the graph")
            .isInstanceOf(ClassNotFoundException.class);
    }
}
