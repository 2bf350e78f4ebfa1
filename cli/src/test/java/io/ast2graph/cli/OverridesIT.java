package io.ast2graph.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.parser.FragmentBuilder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code OVERRIDES} against a real Neo4j, from real fragments: the nearest method of the same signature on each path
 * up the hierarchy, across files, whatever order the files arrive in, and settled again when a method appears in or
 * disappears from the middle of a hierarchy.
 */
class OverridesIT extends EmptyGraphTest {
    private static final FragmentBuilder BUILDER = new FragmentBuilder();
    private long version;

    private static final String SHAPE = """
        package p;
        public interface Shape { double area(); String name(); }
        """;
    private static final String BASE = """
        package p;
        public abstract class Base implements Shape {
            public String name() { return "base"; }
            public void draw(int times) {}
            private void secret() {}
            static void helper() {}
        }
        """;
    private static final String MID = """
        package p;
        public class Mid extends Base {
            public double area() { return 0; }
            public void draw(int times) {}
        }
        """;
    private static final String MID_WITHOUT_DRAW = """
        package p;
        public class Mid extends Base {
            public double area() { return 0; }
        }
        """;
    private static final String LEAF = """
        package p;
        public class Leaf extends Mid implements Shape {
            public Leaf() {}
            public double area() { return 1; }
            public void draw(int times) {}
            public void draw(long times) {}
            private void secret() {}
            static void helper() {}
            public String name() { return "leaf"; }
        }
        """;

    private GraphFragment file(String name, String source) {
        return file("p", name, source);
    }

    private GraphFragment file(String packageName, String name, String source) {
        version++;
        return BUILDER.build("scan", "r", "src/main/java/" + packageName + "/" + name + ".java",
            Integer.toHexString(source.hashCode()), version, source.getBytes(UTF_8));
    }

    private List<String> overrides() {
        return writer.read("MATCH (m:Method)-[:OVERRIDES]->(s:Method) RETURN m.id AS m, s.id AS s ORDER BY m, s",
                Map.of()).stream()
            .map(r -> r.get("m").toString().replace("r:src/main/java:", "") + " -> "
                + r.get("s").toString().replace("r:src/main/java:", ""))
            .toList();
    }

    private List<String> fingerprint() {
        return DirectWriter.lines(writer);
    }

    @Test
    void aMethodOverridesTheNearestDeclarationOnEachPathUpItsHierarchy() throws Exception {
        writer.write(List.of(file("Shape", SHAPE), file("Base", BASE), file("Mid", MID), file("Leaf", LEAF)));

        assertThat(overrides()).containsExactly(
            "p.Base#name() -> p.Shape#name()",
            "p.Leaf#area() -> p.Mid#area()",
            "p.Leaf#area() -> p.Shape#area()",
            "p.Leaf#draw(int) -> p.Mid#draw(int)",
            "p.Leaf#name() -> p.Base#name()",
            "p.Leaf#name() -> p.Shape#name()",
            "p.Mid#area() -> p.Shape#area()",
            "p.Mid#draw(int) -> p.Base#draw(int)");
    }

    @Test
    void theEdgesDoNotDependOnTheOrderTheFilesArriveIn() throws Exception {
        List<GraphFragment> files = List.of(file("Shape", SHAPE), file("Base", BASE), file("Mid", MID),
            file("Leaf", LEAF));
        writer.write(files);
        List<String> together = fingerprint();

        Random random = new Random(42);
        for (int round = 0; round < 4; round++) {
            emptyGraph();
            List<GraphFragment> shuffled = new ArrayList<>(files);
            Collections.shuffle(shuffled, random);
            for (GraphFragment fragment : shuffled) {
                writer.write(List.of(fragment));
            }
            GraphDiff.assertSameGraph("one file at a time in the order " + shuffled.stream()
                .map(GraphFragment::path).toList(), together, fingerprint());
        }
    }

    @Test
    void aMethodLeavingTheMiddleOfAHierarchyHandsItsOverridersToTheNextOneUp() throws Exception {
        writer.write(List.of(file("Shape", SHAPE), file("Base", BASE), file("Mid", MID), file("Leaf", LEAF)));
        writer.write(List.of(file("Mid", MID_WITHOUT_DRAW)));

        assertThat(overrides()).contains("p.Leaf#draw(int) -> p.Base#draw(int)")
            .doesNotContain("p.Leaf#draw(int) -> p.Mid#draw(int)");
        List<String> changed = fingerprint();
        emptyGraph();
        writer.write(List.of(file("Shape", SHAPE), file("Base", BASE), file("Mid", MID_WITHOUT_DRAW),
            file("Leaf", LEAF)));
        GraphDiff.assertSameGraph("a full scan of the changed files", fingerprint(), changed);

        writer.write(List.of(file("Mid", MID)));
        assertThat(overrides()).as("and back when it returns").contains("p.Leaf#draw(int) -> p.Mid#draw(int)")
            .doesNotContain("p.Leaf#draw(int) -> p.Base#draw(int)");
    }

    @Test
    void aTypeVariableOfTheSupertypeStandsForAnyReferenceType() throws Exception {
        writer.write(List.of(
            file("Holder", "package p;\npublic interface Holder<T> { void set(T value); void set(T value, int times); }\n"),
            file("Box", "package p;\npublic abstract class Box<V extends Number> implements Holder<V> {\n"
                + "  public void set(V value) {}\n}\n"),
            file("IntBox", "package p;\npublic class IntBox extends Box<Integer> {\n"
                + "  public void set(Integer value) {}\n  public void set(int value) {}\n"
                + "  public void set(Integer value, int times) {}\n  public void set(Integer value, long times) {}\n}\n")));

        assertThat(overrides()).as("Box.set(V) erases to set(Number): the type variable's bound").containsExactly(
            "p.Box#set(Number) -> p.Holder#set(Object)",
            "p.IntBox#set(Integer) -> p.Box#set(Number)",
            "p.IntBox#set(Integer,int) -> p.Holder#set(Object,int)");
    }

    @Test
    void aGenericMethodsOwnTypeVariableIsNoWildcard() throws Exception {
        writer.write(List.of(
            file("Printer", "package p;\npublic class Printer<T> {\n"
                + "  public <B extends Appendable> B appendTo(B out) { return out; }\n"
                + "  public <T> void shadow(T value) {}\n}\n"),
            file("Fancy", "package p;\npublic class Fancy extends Printer<String> {\n"
                + "  public StringBuilder appendTo(StringBuilder out) { return out; }\n" // an overload
                + "  public <C extends Appendable> C appendTo(C out) { return out; }\n"
                + "  public void shadow(String value) {}\n}\n"))); // the method's T shadows the class's: an overload

        assertThat(overrides()).containsExactly("p.Fancy#appendTo(Appendable) -> p.Printer#appendTo(Appendable)");
    }

    @Test
    void aPackagePrivateMethodIsOverriddenOnlyFromItsOwnPackage() throws Exception {
        writer.write(List.of(
            file("q", "Base", "package q;\npublic class Base {\n  void hook() {}\n  public void open() {}\n}\n"),
            file("q", "Near", "package q;\npublic class Near extends Base {\n  void hook() {}\n}\n"),
            file("p", "Far", "package p;\npublic class Far extends q.Near {\n  void hook() {}\n  public void open() {}\n}\n")));

        assertThat(overrides()).as("Far.hook() is a method of its own: q's hook() is not visible from p").containsExactly(
            "p.Far#open() -> q.Base#open()",
            "q.Near#hook() -> q.Base#hook()");
    }

    @Test
    void deletingASupertypesFileCutsTheHierarchyThere() throws Exception {
        writer.write(List.of(file("Shape", SHAPE), file("Base", BASE), file("Mid", MID), file("Leaf", LEAF)));
        version++;
        writer.write(List.of(GraphFragment.tombstone("scan", "r", "src/main/java/p/Mid.java", version)));

        assertThat(overrides()).as("Leaf extends a placeholder now, and still implements Shape").containsExactly(
            "p.Base#name() -> p.Shape#name()", "p.Leaf#area() -> p.Shape#area()", "p.Leaf#name() -> p.Shape#name()");
    }
}
