package io.ast2graph.writer;

import io.ast2graph.embedded.testing.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ast2graph.writer.TestFragments.classWithMethods;
import static org.assertj.core.api.Assertions.assertThat;

/** The writers' start-up plan compilation against a real Neo4j: it leaves the graph as it was. */
class PlanWarmUpIT {
    static Neo4jGraphWriter writer;

    @BeforeAll
    static void connect() {
        var neo4j = SharedServers.neo4j();
        writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(neo4j.boltUri()), Duration.ofSeconds(10)), "");
        writer.createSchema();
    }

    @AfterAll
    static void close() {
        writer.close();
    }

    @Test
    void theWarmUpLeavesTheGraphAsItWas() throws Exception {
        writer.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
        writer.write(List.of(classWithMethods("r", "p", "A", 1, "sha1", "m")));
        List<String> before = GraphFingerprint.lines(writer.driver(), "", GraphFingerprint.BOOKKEEPING);

        writer.warmUp();

        assertThat(GraphFingerprint.lines(writer.driver(), "", GraphFingerprint.BOOKKEEPING)).isEqualTo(before);
        assertThat(writer.read("MATCH (n) WHERE n.id STARTS WITH 'ast2graph-warm-up' RETURN count(n) AS c", Map.of())
            .getFirst().get("c")).isEqualTo(0L);
    }

    /** Statements are planned for the sizes they run with: a one-file rescan of a large class writes hundreds of rows. */
    @Test
    void theSamplesIncludeOneTheSizeOfALargeClass() {
        int largest = PlanWarmUp.fragments().stream()
            .flatMap(batch -> WritePlan.of(batch).statements().stream())
            .mapToInt(statement -> statement.rows().size()).max().orElse(0);

        assertThat(largest).isGreaterThanOrEqualTo(PlanWarmUp.LARGE_MEMBERS / 2);
    }
}
