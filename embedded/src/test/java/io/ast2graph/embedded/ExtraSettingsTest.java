package io.ast2graph.embedded;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code AST2GRAPH_NEO4J_SETTINGS}: extra settings of the embedded Neo4j. */
class ExtraSettingsTest {
    @Test
    void pairsSeparatedByCommasInTheirOrder() {
        assertThat(EmbeddedNeo4j.extraSettings(" server.memory.heap.max_size=2g , db.tx_timeout=30s,x.y=a=b"))
            .containsExactly(Map.entry("server.memory.heap.max_size", "2g"), Map.entry("db.tx_timeout", "30s"),
                Map.entry("x.y", "a=b"));
        assertThat(EmbeddedNeo4j.extraSettings(null)).isEmpty();
        assertThat(EmbeddedNeo4j.extraSettings(" ")).isEmpty();
    }

    @Test
    void aPairWithoutAValueIsRefusedByName() {
        assertThatThrownBy(() -> EmbeddedNeo4j.extraSettings("db.tx_timeout=30s, pagecache"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("AST2GRAPH_NEO4J_SETTINGS must be name=value pairs").hasMessageContaining("'pagecache'");
    }
}
