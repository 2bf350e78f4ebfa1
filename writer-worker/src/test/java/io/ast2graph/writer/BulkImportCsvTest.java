package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ast2graph.writer.TestFragments.classWithMethods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CSV dialect of the bulk importer, without Neo4j (BulkImportIT imports it). */
class BulkImportCsvTest {
    @TempDir
    Path dir;

    @Test
    void writesOneFilePerHeaderWithTypedColumnsAndIdGroups() throws Exception {
        var input = BulkImportCsv.write(List.of(classWithMethods("r", "p", "A", 1, "a", "m"),
            classWithMethods("r", "p", "B", 1, "b")), dir);

        assertThat(input.nodes()).isEqualTo(2 /* files */ + 1 /* package, shared */ + 2 /* types */ + 1 /* method */);
        assertThat(input.relationships()).isEqualTo(2 + 2 + 1);
        assertThat(input.multilineFields()).isFalse();
        Path methods = input.nodeFiles().stream().filter(f -> f.getFileName().toString().startsWith("nodes-Method"))
            .findFirst().orElseThrow();
        assertThat(Files.readAllLines(methods)).containsExactly(
            "id:ID(Method),:LABEL,arity:long,name:string,signature:string",
            "\"r:src:p.A#m()\",\"Method\",0,\"m\",\"m()\"");
        assertThat(input.relationshipFiles()).allSatisfy(f ->
            assertThat(Files.readAllLines(f).getFirst()).startsWith(":START_ID(").contains(",:END_ID(").endsWith(",:TYPE"));
    }

    @Test
    void aValueTheImporterCannotTakeIsRefusedByName() {
        var a = classWithMethods("r", "p", "A", 1, "a");
        List<GraphNode> nodes = new ArrayList<>(a.nodes());
        nodes.add(new GraphNode("Field", "r:f", List.of(), Map.of("modifiers", List.of(1L, 2L)), false));
        var bad = new GraphFragment(a.scanId(), a.repo(), a.path(), a.sha256(), a.version(), a.fileId(),
            a.builderVersion(), nodes, a.relationships(), List.of());

        assertThatThrownBy(() -> BulkImportCsv.write(List.of(bad), dir)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("property 'modifiers'");
    }
}
