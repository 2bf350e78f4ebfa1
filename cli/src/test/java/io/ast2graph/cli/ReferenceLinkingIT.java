package io.ast2graph.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.parser.FragmentBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * The link step against a real Neo4j, with fragments from the real builder and no Kafka: references settle to the
 * same graph whatever order the files arrive in, move to a declaration written later, and fall back to a placeholder
 * (not lost) when the declaration is deleted.
 */
class ReferenceLinkingIT extends EmptyGraphTest {
    private static final FragmentBuilder BUILDER = new FragmentBuilder();
    private long version;

    private static final String A = """
        package p;
        import q.*;
        public class A extends B implements Runnable {
            C c;
            Missing missing;
            public void run() {}
        }
        """;
    private static final String B = "package p;\npublic class B {}\n";
    private static final String C = "package q;\npublic class C {}\n";
    /** The same fully qualified name in another source root: A, in src/main/java, must prefer its own root's B. */
    private static final String TEST_B = "package p;\npublic class B { int fixture; }\n";

    private GraphFragment file(String path, String source) {
        version++;
        return BUILDER.build("scan", "r", path, Integer.toHexString(source.hashCode()), version, source.getBytes(UTF_8));
    }

    private GraphFragment a() { return file("src/main/java/p/A.java", A); }
    private GraphFragment b() { return file("src/main/java/p/B.java", B); }
    private GraphFragment c() { return file("src/main/java/q/C.java", C); }
    private GraphFragment testB() { return file("src/test/java/p/B.java", TEST_B); }

    private GraphFragment deleted(String path) {
        version++;
        return GraphFragment.tombstone("scan", "r", path, version);
    }

    private void write(GraphFragment... fragments) throws Exception {
        writer.write(List.of(fragments));
    }

    /**
     * The graph's lines, after pruning the placeholders nothing references any more: placeholders are shared nodes
     * that writers never delete (see ReferenceLinker), and the README's maintenance query prunes them.
     */
    private List<String> graph() {
        writer.driver().executableQuery("MATCH (t:Type {external: true}) WHERE NOT (t)--() DELETE t").execute();
        return DirectWriter.lines(writer);
    }

    private List<String> oneShot(GraphFragment... fragments) throws Exception {
        emptyGraph();
        write(fragments);
        return graph();
    }

    private List<String> references() {
        return writer.read("""
            MATCH (a:Type {name: 'A'})-[r:EXTENDS|IMPLEMENTS]->(t) RETURN type(r) + ' ' + t.id + ' ' + r.resolution AS line
            UNION ALL
            MATCH (:Type {name: 'A'})-[:DECLARES]->(f:Field)-[r:OF_TYPE]->(t)
            RETURN f.name + ' ' + t.id + ' ' + r.resolution AS line""", Map.of())
            .stream().map(row -> (String) row.get("line")).sorted().toList();
    }

    @Test
    void referencesSettleToTheDeclarationsWhateverTheOrder() throws Exception {
        List<String> expected = oneShot(a(), b(), c(), testB());
        assertThat(references()).containsExactly(
            "EXTENDS r:src/main/java:p.B package",
            "IMPLEMENTS external:java.lang.Runnable import",
            "c r:src/main/java:q.C import",
            "missing external:q.Missing inferred");

        emptyGraph();
        write(a());
        assertThat(references()).contains("EXTENDS external:q.B inferred", "c external:q.C inferred");
        write(b());
        write(c());
        write(testB());
        assertThat(graph()).isEqualTo(expected);

        emptyGraph();
        write(testB());
        write(c());
        write(b());
        write(a());
        assertThat(graph()).isEqualTo(expected);

        emptyGraph();
        write(testB(), b(), a(), c()); // one batch, declarations after the reference
        assertThat(graph()).isEqualTo(expected);
    }

    @Test
    void deletedDeclarationsHandTheirReferencesToTheNextCandidateAndReAddedOnesTakeThemBack() throws Exception {
        List<String> withoutB = oneShot(a(), c(), testB());
        List<String> withoutAnyB = oneShot(a(), c());
        List<String> all = oneShot(a(), b(), c(), testB());

        write(deleted("src/main/java/p/B.java"));
        assertThat(references()).contains("EXTENDS r:src/test/java:p.B package"); // the other root's declaration
        assertThat(graph()).isEqualTo(withoutB);

        write(deleted("src/test/java/p/B.java"));
        assertThat(references()).contains("EXTENDS external:q.B inferred"); // a placeholder: not lost
        assertThat(graph()).isEqualTo(withoutAnyB);

        write(b());
        write(testB());
        assertThat(references()).contains("EXTENDS r:src/main/java:p.B package");
        assertThat(graph()).isEqualTo(all);
    }

    @Test
    void aMemberTypeInheritedFromASupertypeDeclaredLaterIsFoundThroughTheHierarchy() throws Exception {
        GraphFragment sub = file("src/main/java/p/Sub.java",
            "package p;\npublic class Sub extends Base {\n  Nested nested;\n  class Inner extends Nested {}\n}\n");
        GraphFragment base = file("src/main/java/p/Base.java",
            "package p;\npublic class Base {\n  public static class Nested {}\n}\n");
        List<String> expected = oneShot(sub, base);
        String query = """
            MATCH (s:Type {name: 'Sub'})-[:DECLARES*0..1]->(x)-[r:OF_TYPE|EXTENDS]->(t)
            WHERE t.name = 'Nested' RETURN x.name + ' ' + t.id + ' ' + r.resolution AS line ORDER BY line""";
        List<Object> settled = writer.read(query, Map.of()).stream().map(row -> row.get("line")).toList();
        assertThat(settled).containsExactly("Inner r:src/main/java:p.Base$Nested inherited",
            "nested r:src/main/java:p.Base$Nested inherited");

        emptyGraph();
        write(sub);
        write(base);
        assertThat(graph()).isEqualTo(expected);
    }

    @Test
    void aChangedFileThatStopsDeclaringATypeReleasesItsReferences() throws Exception {
        write(a(), b(), c());
        write(file("src/main/java/p/B.java", "package p;\npublic class Renamed {}\n"));

        assertThat(references()).contains("EXTENDS external:q.B inferred");
        assertThat(writer.read("MATCH (t:Type {id: 'r:src/main/java:p.Renamed'}) RETURN count(t) AS n", Map.of()))
            .containsExactly(Map.of("n", 1L));
    }
}
