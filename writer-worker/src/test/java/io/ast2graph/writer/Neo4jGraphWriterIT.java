package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.embedded.testing.SharedServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ast2graph.writer.TestFragments.classWithMethods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The writer against a real Neo4j (no Kafka): replacement, deletion, ordering, idempotence, poison. */
class Neo4jGraphWriterIT {
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

    @BeforeEach
    void emptyGraph() {
        writer.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
    }

    private List<String> methodsOf(String typeId) {
        return writer.read("MATCH (:Type {id: $id})-[:DECLARES]->(m:Method) RETURN m.name AS name ORDER BY name",
            Map.of("id", typeId)).stream().map(r -> (String) r.get("name")).toList();
    }

    private long count(String cypher) {
        return (Long) writer.read(cypher, Map.of()).getFirst().values().iterator().next();
    }

    @Test
    void aChangedFileReplacesItsSubgraphAndKeepsEdgesFromOtherFiles() throws Exception {
        writer.write(List.of(classWithMethods("r", "p", "A", 1, "sha1", "kept", "removed")));
        // Another file's edge into a node of A that survives the change.
        String aType = TestFragments.typeId("r", "p", "A");
        var b = classWithMethods("r", "p", "B", 1, "shaB", "caller");
        var withEdge = new ArrayList<>(b.relationships());
        withEdge.add(new GraphRelationship("DEPENDS_ON", "Type", TestFragments.typeId("r", "p", "B"), "Type", aType, Map.of()));
        writer.write(List.of(new GraphFragment(b.scanId(), b.repo(), b.path(), b.sha256(), b.version(), b.fileId(),
            b.builderVersion(), b.nodes(), withEdge, List.of())));

        writer.write(List.of(classWithMethods("r", "p", "A", 2, "sha2", "kept", "added")));

        assertThat(methodsOf(aType)).containsExactly("added", "kept");
        assertThat(count("MATCH (m:Method {name: 'removed'}) RETURN count(m)")).isZero();
        assertThat(count("MATCH (:Type {name: 'B'})-[:DEPENDS_ON]->(:Type {name: 'A'}) RETURN count(*)")).isEqualTo(1);
        assertThat(count("MATCH (:Package {fqn: 'p'})-[:CONTAINS]->(t:Type) RETURN count(t)")).isEqualTo(2);
    }

    @Test
    void aTombstoneRemovesTheFileSubgraphButNotSharedPackages() throws Exception {
        writer.write(List.of(classWithMethods("r", "p", "A", 1, "sha1", "m"), classWithMethods("r", "p", "B", 1, "s", "n")));
        var a = classWithMethods("r", "p", "A", 1, "sha1");
        writer.write(List.of(GraphFragment.tombstone("scan-2", a.repo(), a.path(), 2)));

        assertThat(count("MATCH (f:File) RETURN count(f)")).isEqualTo(1);
        assertThat(count("MATCH (t:Type {name: 'A'}) RETURN count(t)")).isZero();
        assertThat(count("MATCH (m:Method {name: 'm'}) RETURN count(m)")).isZero();
        assertThat(count("MATCH (p:Package {fqn: 'p'})-[:CONTAINS]->(:Type {name: 'B'}) RETURN count(p)")).isEqualTo(1);
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() throws Exception {
        writer.write(List.of(classWithMethods("r", "p", "A", 5, "new", "newer")));
        var result = writer.write(List.of(classWithMethods("r", "p", "A", 3, "old", "older")));

        assertThat(result.skippedStale()).isEqualTo(1);
        assertThat(methodsOf(TestFragments.typeId("r", "p", "A"))).containsExactly("newer");
        // Within one batch too: the newest of a file's fragments wins whatever their order.
        writer.write(List.of(classWithMethods("r", "p", "A", 9, "v9", "nine"), classWithMethods("r", "p", "A", 7, "v7", "seven")));
        assertThat(methodsOf(TestFragments.typeId("r", "p", "A"))).containsExactly("nine");
        // An older tombstone does not delete a newer file either.
        var a = classWithMethods("r", "p", "A", 1, "x");
        writer.write(List.of(GraphFragment.tombstone("s", a.repo(), a.path(), 8)));
        assertThat(count("MATCH (f:File) RETURN count(f)")).isEqualTo(1);
    }

    @Test
    void writingTheSameFragmentsAgainChangesNothing() throws Exception {
        List<GraphFragment> fragments = List.of(classWithMethods("r", "p", "A", 1, "a", "x", "y"),
            classWithMethods("r", "q", "B", 1, "b", "z"), classWithMethods("r", "p", "C", 1, "c"));
        writer.write(fragments);
        var first = GraphFingerprint.lines(writer.driver(), "", Set.of());
        writer.write(fragments);
        writer.write(fragments.reversed());

        assertThat(GraphFingerprint.lines(writer.driver(), "", Set.of())).isEqualTo(first);
        assertThat(first).hasSize(3 /* files */ + 2 /* packages */ + 3 /* types */ + 3 /* methods */
            + 3 + 3 + 3 /* DECLARES file→type, CONTAINS, DECLARES type→method */);
    }

    @Test
    void anUnchangedFileIsNotWrittenAgain() throws Exception {
        var fragment = classWithMethods("r", "p", "A", 1, "a", "x", "y");
        var changed = classWithMethods("r", "p", "B", 1, "b1", "z");
        writer.write(List.of(fragment, changed));

        var again = writer.write(List.of(fragment, classWithMethods("r", "p", "B", 2, "b2", "w")));

        assertThat(again.unchanged()).isEqualTo(1);
        assertThat(again.written()).isEqualTo(1);
        assertThat(methodsOf(TestFragments.typeId("r", "p", "B"))).containsExactly("w");
    }

    @Test
    void aNewerVersionOfUnchangedContentStillMakesAnOlderChangeStale() throws Exception {
        writer.write(List.of(classWithMethods("r", "p", "A", 1, "same", "kept")));
        // Version 3 says the content of version 1 again: not written, but its version is recorded...
        assertThat(writer.write(List.of(classWithMethods("r", "p", "A", 3, "same", "kept"))).unchanged()).isEqualTo(1);
        // ...so version 2, with other content, arriving late, is older than the graph's.
        var late = writer.write(List.of(classWithMethods("r", "p", "A", 2, "other", "gone")));

        assertThat(late.skippedStale()).isEqualTo(1);
        assertThat(methodsOf(TestFragments.typeId("r", "p", "A"))).containsExactly("kept");
        assertThat(count("MATCH (f:File) RETURN max(f.version)")).isEqualTo(3);
    }

    @Test
    void aReplayThatRewritesUnchangedFilesRepairsWhatWasLost() throws Exception {
        var fragment = classWithMethods("r", "p", "A", 1, "a", "x", "y");
        writer.write(List.of(fragment));
        var before = GraphFingerprint.of(writer.driver(), "", Set.of());
        writer.driver().executableQuery("MATCH (m:Method {name: 'x'}) DETACH DELETE m").execute();

        // Not closed: it shares the suite's driver.
        var rewriting = new Neo4jGraphWriter(writer.driver(), "", new SimpleMeterRegistry(), true);
        var result = rewriting.write(List.of(fragment));

        assertThat(result.unchanged()).isZero();
        assertThat(GraphFingerprint.of(writer.driver(), "", Set.of())).isEqualTo(before);
    }

    @Test
    void aFragmentNeo4jCannotTakeFailsAlone() {
        var bad = new GraphFragment("s", "r", "Bad.java", "x", 1, "r:Bad.java", 1,
            List.of(new GraphNode("File", "r:Bad.java", List.of("Not A Label"), Map.of(), false)), List.of(), List.of());
        assertThatThrownBy(() -> writer.write(List.of(bad))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Not A Label");
        assertThat(count("MATCH (n) RETURN count(n)")).isZero();
    }
}
