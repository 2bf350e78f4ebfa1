package io.ast2graph.embedded.testing;

import io.ast2graph.embedded.EmbeddedKafka;
import io.ast2graph.embedded.EmbeddedNeo4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real servers of the integration tests, started at most once per test JVM (starting them takes seconds) and
 * stopped when the JVM exits. Tests isolate themselves with their own topic prefixes, consumer groups and repo names
 * (or clean the graph), never by starting another server.
 */
public final class SharedServers {
    private static EmbeddedKafka kafka;
    private static EmbeddedNeo4j neo4j;
    private static Path root;

    private SharedServers() {}

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            try {
                kafka = EmbeddedKafka.start(root().resolve("kafka"), 0, 4);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded Kafka broker", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-stop"));
        }
        return kafka;
    }

    public static synchronized EmbeddedNeo4j neo4j() {
        if (neo4j == null) {
            neo4j = EmbeddedNeo4j.start(root().resolve("neo4j"), 0, 128L * 1024 * 1024);
            Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close, "neo4j-stop"));
        }
        return neo4j;
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("ast2graph-it-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }
}
