package io.ast2graph.cli;

import io.ast2graph.writer.Neo4jGraphWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The life cycle of a test that writes fragments straight into the shared Neo4j (no Kafka) and starts every test
 * from an empty graph: one {@link DirectWriter} for the class, the graph wiped before each test.
 */
abstract class EmptyGraphTest {
    static Neo4jGraphWriter writer;

    @BeforeAll
    static void connect() {
        writer = DirectWriter.open();
    }

    @AfterAll
    static void close() {
        writer.close();
    }

    @BeforeEach
    void emptyGraph() {
        DirectWriter.wipe(writer);
    }
}
