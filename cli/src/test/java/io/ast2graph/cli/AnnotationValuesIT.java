package io.ast2graph.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.parser.FragmentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * Annotation values on {@code ANNOTATED_BY} edges against a real Neo4j: they survive the link step moving an edge
 * from a placeholder to a declaration written later (and back when it is deleted), and a file written again with
 * other values replaces them.
 */
class AnnotationValuesIT extends EmptyGraphTest {
    private static final FragmentBuilder BUILDER = new FragmentBuilder();
    private long version;

    private static final String SERVICE = """
        package p;
        @Route(path = "/orders", methods = {"GET", "POST"}, weight = -2)
        @Deprecated(since = "9", forRemoval = true)
        public class Service {}
        """;
    private static final String SERVICE_CHANGED = """
        package p;
        @Route(path = "/v2/orders")
        @Deprecated(since = "9", forRemoval = true)
        public class Service {}
        """;
    private static final String ROUTE = "package p;\npublic @interface Route { String path(); String[] methods() default {}; int weight() default 0; }\n";

    private GraphFragment file(String path, String source) {
        version++;
        return BUILDER.build("scan", "r", path, Integer.toHexString(source.hashCode()), version, source.getBytes(UTF_8));
    }

    private GraphFragment service(String source) { return file("src/main/java/p/Service.java", source); }
    private GraphFragment route() { return file("src/main/java/p/Route.java", ROUTE); }

    private List<Map<String, Object>> annotations() {
        return writer.read("""
            MATCH (:Type {name: 'Service'})-[a:ANNOTATED_BY]->(t:Type)
            RETURN t.id AS type, a.resolution AS resolution, a.path AS path, a.methods AS methods, a.weight AS weight,
                   a.since AS since, a.forRemoval AS forRemoval
            ORDER BY type""", Map.of());
    }

    @Test
    void valuesTravelWithTheEdgeWhenTheLinkStepMovesIt() throws Exception {
        writer.write(List.of(service(SERVICE)));
        assertThat(annotations()).containsExactly(
            row("external:java.lang.Deprecated", "import", null, null, null, "9", true),
            row("external:p.Route", "inferred", "/orders", List.of("GET", "POST"), -2L, null, null));

        writer.write(List.of(route())); // the declaration arrives: the edge moves off the placeholder
        assertThat(annotations()).containsExactly(
            row("external:java.lang.Deprecated", "import", null, null, null, "9", true),
            row("r:src/main/java:p.Route", "package", "/orders", List.of("GET", "POST"), -2L, null, null));
        List<String> moved = DirectWriter.lines(writer);

        emptyGraph();
        writer.write(List.of(route()));
        writer.write(List.of(service(SERVICE)));
        assertThat(DirectWriter.lines(writer)).isEqualTo(moved);

        writer.write(List.of(GraphFragment.tombstone("scan", "r", "src/main/java/p/Route.java", ++version)));
        assertThat(annotations()).contains(
            row("external:p.Route", "inferred", "/orders", List.of("GET", "POST"), -2L, null, null));
    }

    @Test
    void aFileWrittenAgainReplacesItsValues() throws Exception {
        writer.write(List.of(route(), service(SERVICE)));
        writer.write(List.of(service(SERVICE_CHANGED)));

        assertThat(annotations()).containsExactly(
            row("external:java.lang.Deprecated", "import", null, null, null, "9", true),
            row("r:src/main/java:p.Route", "package", "/v2/orders", null, null, null, null));
    }

    private static Map<String, Object> row(String type, String resolution, String path, List<String> methods,
                                           Long weight, String since, Boolean forRemoval) {
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("type", type);
        row.put("resolution", resolution);
        row.put("path", path);
        row.put("methods", methods);
        row.put("weight", weight);
        row.put("since", since);
        row.put("forRemoval", forRemoval);
        return row;
    }
}
