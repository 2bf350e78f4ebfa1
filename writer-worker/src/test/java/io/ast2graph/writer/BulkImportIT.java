package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.embedded.BulkImporter;
import io.ast2graph.embedded.EmbeddedNeo4j;
import io.ast2graph.embedded.testing.SharedServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ast2graph.writer.TestFragments.classWithMethods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Neo4j's bulk importer, fed by {@link BulkImportCsv}, leaves the same graph as the writer writing the same fragments
 * one by one: same nodes, labels, properties and relationships, including the writer's rules on versions, shared
 * nodes, tombstones and relationships to nodes that do not exist.
 */
class BulkImportIT {
    @TempDir
    Path dir;

    /** Fragments that exercise every rule of the conversion. */
    private static List<GraphFragment> stream() {
        List<GraphFragment> fragments = new ArrayList<>();
        fragments.add(classWithMethods("r", "p", "A", 1, "a1", "old"));
        // A newer version replaces the older one; an even older one arriving late changes nothing.
        fragments.add(classWithMethods("r", "p", "A", 3, "a3", "kept", "new"));
        fragments.add(classWithMethods("r", "p", "A", 2, "a2", "stale"));
        // Shares package p with A.
        var b = classWithMethods("r", "p", "B", 1, "b1", "m");
        String bType = TestFragments.typeId("r", "p", "B");
        List<GraphNode> bNodes = new ArrayList<>(b.nodes());
        // Values the CSV must carry unchanged: quotes, commas, a line break, an empty string, lists (one that starts
        // with an empty string, as a call's argument types do when the first one is unknown), a double.
        bNodes.add(new GraphNode("Field", bType + "#f", List.of(), Map.of("name", "f", "doc", "say \"hi\", then\nbye",
            "empty", "", "tags", List.of("a", "b c"), "args", List.of("", "int"), "weight", 0.5, "final", true,
            "line", 7), false));
        // An empty list (a module that requires nothing) and a list of one empty string, which the importer's files
        // cannot carry.
        bNodes.add(new GraphNode("Field", bType + "#g", List.of(), Map.of("name", "g", "modifiers", List.of(),
            "args", List.of("")), false));
        List<GraphRelationship> bRels = new ArrayList<>(b.relationships());
        bRels.add(new GraphRelationship("DECLARES", "Type", bType, "Field", bType + "#f", Map.of("order", 1L)));
        bRels.add(new GraphRelationship("DECLARES", "Type", bType, "Field", bType + "#g", Map.of("to", List.of())));
        // Named by an extra label; and one to a node nobody declares, which the writer's MATCH drops.
        bRels.add(new GraphRelationship("DEPENDS_ON", "Class", bType, "Type", TestFragments.typeId("r", "p", "A"), Map.of()));
        bRels.add(new GraphRelationship("DEPENDS_ON", "Type", bType, "Type", "r:nowhere", Map.of()));
        // The same relationship twice is one relationship.
        bRels.add(new GraphRelationship("CONTAINS", "Package", b.relationships().get(1).fromId(), "Type", bType, Map.of()));
        // Two calls on one line of the same JDK method, told apart only by their argument types, one of them unknown
        // ([""], which the importer's files cannot carry, against ["int"]): two edges, each with its own.
        var string = new TypeReference.Candidate("java.lang.String", "java.lang.String", TypeReference.Resolution.IMPORT,
            true, false);
        String caller = NodeIds.method(bType, "m", List.of());
        List<MethodReference> calls = List.of(
            new MethodReference(caller, "r:src", List.of(List.of(string)), "charAt", 1, List.of(""), 9),
            new MethodReference(caller, "r:src", List.of(List.of(string)), "charAt", 1, List.of("int"), 9));
        fragments.add(new GraphFragment(b.scanId(), b.repo(), b.path(), b.sha256(), b.version(), b.fileId(),
            b.builderVersion(), bNodes, bRels, List.of(), List.of(), calls));
        // A file written, then deleted.
        var c = classWithMethods("r", "q", "C", 1, "c1", "gone");
        fragments.add(c);
        fragments.add(GraphFragment.tombstone("s", c.repo(), c.path(), 2));
        return fragments;
    }

    @Test
    void theImportedGraphEqualsTheWrittenOne() throws Exception {
        List<GraphFragment> fragments = stream();
        var neo4j = SharedServers.neo4j();
        List<String> written;
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(neo4j.boltUri()),
            Duration.ofSeconds(10)), "")) {
            writer.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
            writer.createSchema();
            for (GraphFragment fragment : fragments) {
                writer.write(List.of(fragment));
            }
            written = GraphFingerprint.lines(writer.driver(), "", Set.of());
            writer.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
        }

        BulkImportCsv.Input input = BulkImportCsv.write(fragments, dir.resolve("csv"));
        assertThat(input.multilineFields()).isTrue();
        assertThat(input.droppedRelationships()).isEqualTo(1);
        BulkImporter.importInto(dir.resolve("neo4j"), request(input));
        List<String> imported;
        try (var importedDb = EmbeddedNeo4j.start(dir.resolve("neo4j"), 0, 64L << 20);
             var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(importedDb.boltUri()),
                 Duration.ofSeconds(10)), "")) {
            writer.createSchema();
            assertThat(input.lateLists()).containsExactlyInAnyOrder(
                new BulkImportCsv.LateList("Field", null, "args", List.of("")),
                new BulkImportCsv.LateList("Field", null, "modifiers", List.of()),
                new BulkImportCsv.LateList(null, "DECLARES", "to", List.of()),
                new BulkImportCsv.LateList(null, "INVOKES", "args", List.of("")));
            assertThat(input.lateValues()).isEqualTo(4);
            assertThat(writer.setLateLists(input.lateLists())).isEqualTo(4);
            imported = GraphFingerprint.lines(writer.driver(), "", Set.of());
            assertThat(writer.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n", Map.of()).getFirst().get("n"))
                .as("one per identified label, and the link locks' names")
                .isEqualTo((long) Neo4jGraphWriter.IDENTIFIED_LABELS.size() + 1);
            // The imported graph is an ordinary one: the writer goes on from it (here: a rescan deletes B).
            writer.write(List.of(GraphFragment.tombstone("s", "r", fragments.get(3).path(), 2)));
            assertThat(writer.read("MATCH (t:Type {name: 'B'}) RETURN count(t) AS n", Map.of()).getFirst().get("n"))
                .isEqualTo(0L);
        }

        assertThat(imported).isEqualTo(written);
        assertThat(written).filteredOn(line -> line.contains("-INVOKES-> external:java.lang.String#charAt/1")).hasSize(2)
            .anySatisfy(line -> assertThat(line).contains("args=[int]"));
        assertThat(written).anySatisfy(line -> assertThat(line).startsWith("N Field {args=[], id=")
            .endsWith("modifiers=[], name=g}"));
        assertThat(written).anySatisfy(line -> assertThat(line).startsWith("R ").contains("-DECLARES->").endsWith("{to=[]}"));
        assertThat(written).anySatisfy(line -> assertThat(line).startsWith("N Field {args=[, int], doc=say \"hi\", then\nbye, "
            + "empty=, final=true, id=").endsWith(", line=7, name=f, tags=[a, b c], weight=0.5}"));
    }

    @Test
    void theImporterRefusesAFolderThatHoldsADatabase() throws Exception {
        BulkImportCsv.Input input = BulkImportCsv.write(List.of(classWithMethods("r", "p", "A", 1, "a", "m")),
            dir.resolve("csv"));
        try (var db = EmbeddedNeo4j.start(dir.resolve("neo4j"), 0, 64L << 20)) {
            assertThat(db.isRunning()).isTrue();
        }

        assertThatThrownBy(() -> BulkImporter.importInto(dir.resolve("neo4j"), request(input)))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds one already");
        assertThat(Files.exists(dir.resolve("neo4j").resolve("import.report"))).isFalse();
    }

    private static BulkImporter.Request request(BulkImportCsv.Input input) {
        return new BulkImporter.Request(input.nodeFiles(), input.relationshipFiles(), BulkImportCsv.ARRAY_DELIMITER,
            input.idType(), input.multilineFields(), 2, 256L << 20);
    }
}
