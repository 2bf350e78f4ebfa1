package io.ast2graph.cli;

import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;

import java.time.Duration;
import java.util.List;

/**
 * A writer on the test JVM's shared Neo4j, schema in place, for the tests that write fragments straight into Neo4j
 * (no Kafka) to pin the link step: {@code CallLinkingIT}, {@code OverridesIT}, {@code ReferenceLinkingIT},
 * {@code LinkOrderIT}, {@code CookbookIT}. They own the shared database while they run and empty it first.
 */
final class DirectWriter {
    private DirectWriter() {}

    static Neo4jGraphWriter open(Duration connectTimeout) {
        Neo4jGraphWriter writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(
            Neo4jSettings.noAuth(SharedServers.neo4j().boltUri()), connectTimeout), "");
        writer.createSchema();
        return writer;
    }

    static Neo4jGraphWriter open() {
        return open(Duration.ofSeconds(10));
    }

    /** Deletes every node and relationship. */
    static void wipe(Neo4jGraphWriter writer) {
        writer.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
    }

    /** The graph's canonical lines without bookkeeping, for {@link GraphDiff}. */
    static List<String> lines(Neo4jGraphWriter writer) {
        return GraphFingerprint.lines(writer.driver(), "", GraphFingerprint.BOOKKEEPING);
    }
}
