package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    void writesOneFilePerHeaderWithTypedColumnsAndNumberedNodes() throws Exception {
        var input = BulkImportCsv.write(List.of(classWithMethods("r", "p", "A", 1, "a", "m"),
            classWithMethods("r", "p", "B", 1, "b")), dir);

        assertThat(input.nodes()).isEqualTo(2 /* files */ + 1 /* package, shared */ + 2 /* types */ + 1 /* method */);
        assertThat(input.relationships()).isEqualTo(2 + 2 + 1);
        assertThat(input.multilineFields()).isFalse();
        assertThat(input.idType()).isEqualTo("actual");
        Path methods = input.nodeFiles().stream().filter(f -> f.getFileName().toString().startsWith("nodes-Method"))
            .findFirst().orElseThrow();
        List<String> methodLines = Files.readAllLines(methods);
        assertThat(methodLines).hasSize(2);
        assertThat(methodLines.getFirst()).isEqualTo(":ID,:LABEL,arity:long,id:string,name:string,signature:string");
        assertThat(methodLines.get(1)).matches("\\d+,\"Method\",0,\"r:src:p.A#m\\(\\)\",\"m\",\"m\\(\\)\"");

        // The nodes are numbered 0 to n - 1, and every relationship names its ends by these numbers.
        Map<String, String> idOfNumber = new HashMap<>();
        for (Path file : input.nodeFiles()) {
            List<String> lines = Files.readAllLines(file);
            int idColumn = List.of(lines.getFirst().split(",")).indexOf("id:string");
            assertThat(lines.getFirst()).startsWith(":ID,:LABEL,");
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",");
                assertThat(idOfNumber.put(fields[0], fields[idColumn])).isNull();
            }
        }
        assertThat(idOfNumber.keySet()).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
        List<String> ends = new ArrayList<>();
        for (Path file : input.relationshipFiles()) {
            List<String> lines = Files.readAllLines(file);
            assertThat(lines.getFirst()).startsWith(":START_ID,:END_ID,:TYPE");
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",");
                ends.add(idOfNumber.get(fields[0]) + " " + fields[2] + " " + idOfNumber.get(fields[1]));
            }
        }
        assertThat(ends).hasSize(5).contains("\"r:src:p.A\" \"DECLARES\" \"r:src:p.A#m()\"");
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
