package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WritePlanTest {
    @Test
    void nodesComeBeforeRelationshipsAndSharedNodesAreWrittenOnce() {
        var a = TestFragments.classWithMethods("r", "p", "A", 1, "a", "x");
        var b = TestFragments.classWithMethods("r", "p", "B", 1, "b", "y");

        WritePlan plan = WritePlan.of(List.of(b, a));

        List<String> cypher = plan.statements().stream().map(WritePlan.Statement::cypher).toList();
        int lastNode = -1;
        int firstRel = Integer.MAX_VALUE;
        for (int i = 0; i < cypher.size(); i++) {
            if (cypher.get(i).contains("MERGE (n:")) lastNode = i;
            if (cypher.get(i).contains("MERGE (a)-[")) firstRel = Math.min(firstRel, i);
        }
        assertThat(lastNode).isLessThan(firstRel);
        // 2 files + 1 package + 2 types + 2 methods
        assertThat(plan.nodeRows()).isEqualTo(7);
        assertThat(cypher).anySatisfy(c -> assertThat(c).contains("MERGE (n:Package {id: row.id}) ON CREATE SET"));
    }

    @Test
    void whatTouchesAPackageIsWrittenApart() {
        var plan = WritePlan.of(List.of(TestFragments.classWithMethods("r", "p", "A", 1, "a", "x"),
            TestFragments.classWithMethods("r", "q", "B", 1, "b", "y")));

        List<String> shared = plan.sharedStatements().stream().map(WritePlan.Statement::cypher).toList();
        assertThat(shared).hasSize(2);
        assertThat(shared.get(0)).contains("MERGE (n:Package {id: row.id}) ON CREATE SET");
        assertThat(shared.get(1)).contains("(a:Package {id: row.from})").contains("[r:CONTAINS]");
        // p and q contain a type each.
        assertThat(plan.sharedStatements().get(1).rows()).hasSize(2);
        assertThat(plan.nodeStatements()).noneSatisfy(st -> assertThat(st.cypher()).contains("Package"));
        assertThat(plan.relationshipStatements()).noneSatisfy(st -> assertThat(st.cypher()).contains("Package"));
        assertThat(plan.relationshipRows()).isEqualTo(2 /* CONTAINS */ + 2 /* DECLARES file→type */ + 2 /* type→method */);
    }

    @Test
    void rowsAreSortedByIdSoConcurrentTransactionsLockInTheSameOrder() {
        var plan = WritePlan.of(List.of(TestFragments.classWithMethods("r", "p", "Z", 1, "z", "m"),
            TestFragments.classWithMethods("r", "p", "A", 1, "a", "m")));
        for (WritePlan.Statement statement : plan.statements()) {
            List<String> keys = statement.rows().stream()
                .map(row -> row.containsKey("id") ? (String) row.get("id") : row.get("from") + "\u0000" + row.get("to"))
                .toList();
            assertThat(keys).isSorted();
        }
    }

    @Test
    void theNewestFragmentOfAFileWinsWithinABatch() {
        var v2 = TestFragments.classWithMethods("r", "p", "A", 2, "two", "two");
        var v1 = TestFragments.classWithMethods("r", "p", "A", 1, "one", "one");
        assertThat(WritePlan.latestPerFile(List.of(v2, v1))).containsExactly(v2);
        assertThat(WritePlan.latestPerFile(List.of(v1, v2))).containsExactly(v2);
    }

    @Test
    void theFileNodeRecordsTheBuilderVersion() {
        GraphFragment a = TestFragments.classWithMethods("r", "p", "A", 1, "a");
        var fileRow = WritePlan.of(List.of(a)).statements().stream()
            .filter(s -> s.cypher().contains("(n:File "))
            .flatMap(s -> s.rows().stream()).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) fileRow.get("props");
        assertThat(props).containsEntry("builderVersion", 1L).containsEntry("sha256", "a");
    }
}
