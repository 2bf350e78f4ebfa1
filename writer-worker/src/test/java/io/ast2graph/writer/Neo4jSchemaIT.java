package io.ast2graph.writer;

import io.ast2graph.embedded.testing.SharedServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Constraints and indexes are created at start-up by every writer: the first creates them, the others change nothing. */
class Neo4jSchemaIT {
    @Test
    void creatingTheSchemaAgainChangesNothing() {
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(
            Neo4jSettings.noAuth(SharedServers.neo4j().boltUri()), Duration.ofSeconds(10)), "")) {
            writer.createSchema();
            List<String> first = schema(writer);
            writer.createSchema();
            writer.createSchema();

            assertThat(schema(writer)).isEqualTo(first);
            assertThat(first).contains("constraint file_id", "constraint type_id",
                "constraint method_id", "constraint package_id", "constraint field_id",
                "constraint parameter_id", "index type_binary_name ONLINE", "index type_fqn ONLINE",
                "index type_name ONLINE", "index method_name ONLINE", "index file_path ONLINE",
                "index invokes_owner_type ONLINE");
        }
    }

    private static List<String> schema(Neo4jGraphWriter writer) {
        var constraints = writer.read("SHOW CONSTRAINTS YIELD name RETURN 'constraint ' + name AS line",
            Map.of());
        var indexes = writer.read("SHOW INDEXES YIELD name, state RETURN 'index ' + name + ' ' + state AS line", Map.of());
        return Stream.concat(constraints.stream(), indexes.stream())
            .map(r -> (String) r.get("line")).sorted().toList();
    }
}
