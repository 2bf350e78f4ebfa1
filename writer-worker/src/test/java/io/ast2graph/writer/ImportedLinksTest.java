package io.ast2graph.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The link step of a closed set of fragments, in memory. The rules themselves are the link step's
 * ({@link ReferenceLinker#settle}, {@code ReferenceLinkerTest}; {@link CallLinker#choose}; {@link
 * OverrideLinker#overridden}); these tests pin what the in-memory declarations, hierarchy and methods feed them. That the result is the writers' graph is {@code LinkOrderIT}'s and {@code EmbeddedScanIT}'s
 * check, on real sources.
 */
class ImportedLinksTest {
    private static final String ORIGIN = "r:src";

    private static String id(String fqn) {
        return ORIGIN + ":" + fqn;
    }

    /** A file declaring {@code types} (fqn; a member type's fqn extends its enclosing type's), with references. */
    private static GraphFragment file(String path, List<String> types, List<GraphRelationship> rels,
                                      TypeReference... references) {
        List<GraphNode> nodes = new ArrayList<>();
        nodes.add(new GraphNode("File", "r:" + path, List.of(), Map.of("path", path), false));
        for (String fqn : types) {
            nodes.add(new GraphNode("Type", id(fqn), List.of(), Map.of("fqn", fqn,
                "name", fqn.substring(fqn.lastIndexOf('.') + 1)), false));
        }
        return new GraphFragment("s", "r", path, "sha", 1, "r:" + path, 6, nodes, rels, List.of(), List.of(references));
    }

    private static GraphRelationship declares(String outer, String member) {
        return new GraphRelationship("DECLARES", "Type", id(outer), "Type", id(member), Map.of());
    }

    private static Candidate inherited(String fqn) {
        return new Candidate(fqn, fqn, Resolution.INHERITED, false, false);
    }

    private static Candidate samePackage(String fqn) {
        return new Candidate(fqn, fqn, Resolution.PACKAGE, false, true);
    }

    private static TypeReference reference(String type, String from, Candidate... candidates) {
        return new TypeReference(type, from.contains("#") ? "Field" : "Type", from, ORIGIN, List.of(candidates));
    }

    private static Map<String, String> targets(ImportedLinks.Links links) {
        Map<String, String> targets = new java.util.TreeMap<>();
        links.edges().forEach(edge -> targets.put(edge.type() + " " + edge.fromId(),
            edge.toId() + " " + edge.properties().get("resolution")));
        return targets;
    }

    @Test
    void anInterruptedLinkStepStopsInsteadOfRunningToItsEnd() {
        // The bulk load interrupts it when its CSV cannot be written: the writers' fallback then wants the cores.
        List<GraphFragment> fragments = List.of(file("A.java", List.of("p.A"), List.of(),
            reference("EXTENDS", id("p.A"), samePackage("p.B"))));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> ImportedLinks.of(fragments)).isInstanceOf(CancellationException.class)
                .hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted();
        }
        assertThat(ImportedLinks.of(fragments).edges()).hasSize(1);
    }

    @Test
    void aReferenceGoesToTheDeclarationOfAnotherFileElseToAPlaceholderThatTheLinksCarry() {
        var links = ImportedLinks.of(List.of(
            file("A.java", List.of("p.A"), List.of(),
                reference("EXTENDS", id("p.A"), samePackage("p.B")),
                reference("IMPLEMENTS", id("p.A"), samePackage("p.Missing"))),
            file("B.java", List.of("p.B"), List.of())));

        assertThat(targets(links)).containsExactly(
            Map.entry("EXTENDS " + id("p.A"), id("p.B") + " package"),
            Map.entry("IMPLEMENTS " + id("p.A"), "external:p.Missing inferred"));
        assertThat(links.nodes()).singleElement().satisfies(placeholder -> {
            assertThat(placeholder.id()).isEqualTo("external:p.Missing");
            assertThat(placeholder.shared()).isTrue();
            assertThat(placeholder.properties()).containsEntry("external", true).containsEntry("fqn", "p.Missing")
                .doesNotContainKey("id");
        });
        assertThat(links.edges().getFirst().properties()).containsKeys("candidates", "origin", "resolution");
    }

    @Test
    void anInheritedMemberTypeIsTheNearestOneUpTheHierarchyTheOtherReferencesBuild() {
        // Sub extends Mid extends Base; Mid and Base both declare a member type Nested: Sub's field takes Mid's.
        var links = ImportedLinks.of(List.of(
            file("Sub.java", List.of("p.Sub"), List.of(),
                reference("EXTENDS", id("p.Sub"), samePackage("p.Mid")),
                reference("OF_TYPE", id("p.Sub") + "#f", inherited("p.Sub.Nested"), samePackage("p.Nested"))),
            file("Mid.java", List.of("p.Mid", "p.Mid.Nested"), List.of(declares("p.Mid", "p.Mid.Nested")),
                reference("EXTENDS", id("p.Mid"), samePackage("p.Base"))),
            file("Base.java", List.of("p.Base", "p.Base.Nested"), List.of(declares("p.Base", "p.Base.Nested")))));

        assertThat(targets(links)).containsEntry("OF_TYPE " + id("p.Sub") + "#f", id("p.Mid.Nested") + " inherited");
    }

    @Test
    void aSupertypeFoundAsAnInheritedMemberTypeLeadsTheNextRoundsLookups() {
        // class Outer extends Base { class Inner extends Helper {} Deep deep; }: Helper is Base's member type, and
        // Deep is Helper's, so Deep is found only once Inner's EXTENDS is settled (a round later).
        var links = ImportedLinks.of(List.of(
            file("Outer.java", List.of("p.Outer", "p.Outer.Inner"), List.of(declares("p.Outer", "p.Outer.Inner")),
                reference("EXTENDS", id("p.Outer"), samePackage("p.Base")),
                reference("EXTENDS", id("p.Outer.Inner"), inherited("p.Outer.Inner.Helper"),
                    inherited("p.Outer.Helper"), samePackage("p.Helper")),
                reference("OF_TYPE", id("p.Outer.Inner") + "#deep", inherited("p.Outer.Inner.Deep"),
                    samePackage("p.Deep"))),
            file("Base.java", List.of("p.Base", "p.Base.Helper", "p.Base.Helper.Deep"),
                List.of(declares("p.Base", "p.Base.Helper"), declares("p.Base.Helper", "p.Base.Helper.Deep")))));

        assertThat(targets(links))
            .containsEntry("EXTENDS " + id("p.Outer.Inner"), id("p.Base.Helper") + " inherited")
            .containsEntry("OF_TYPE " + id("p.Outer.Inner") + "#deep", id("p.Base.Helper.Deep") + " inherited");
    }

    @Test
    void anInheritedLookupStartsFromTheEnclosingTypeInTheReferencesSourceRootOnly() {
        // The same p.Sub in a test root extends a Base that declares Nested; src's p.Sub extends nothing.
        var sub = file("Sub.java", List.of("p.Sub"), List.of(),
            reference("OF_TYPE", id("p.Sub") + "#f", inherited("p.Sub.Nested"), samePackage("p.Nested")));
        var testSub = new GraphFragment("s", "r", "test/Sub.java", "sha", 1, "r:test/Sub.java", 6,
            List.of(new GraphNode("Type", "r:test:p.Sub", List.of(), Map.of("fqn", "p.Sub", "name", "Sub"), false),
                new GraphNode("Type", "r:test:p.Base", List.of(), Map.of("fqn", "p.Base", "name", "Base"), false),
                new GraphNode("Type", "r:test:p.Base.Nested", List.of(), Map.of("fqn", "p.Base.Nested", "name", "Nested"),
                    false)),
            List.of(new GraphRelationship("EXTENDS", "Type", "r:test:p.Sub", "Type", "r:test:p.Base", Map.of()),
                new GraphRelationship("DECLARES", "Type", "r:test:p.Base", "Type", "r:test:p.Base.Nested", Map.of())),
            List.of());

        assertThat(targets(ImportedLinks.of(List.of(sub, testSub))))
            .containsEntry("OF_TYPE " + id("p.Sub") + "#f", "external:p.Nested inferred");
        // From the test root's own p.Sub it is found.
        var testReference = new TypeReference("OF_TYPE", "Field", "r:test:p.Sub#f", "r:test",
            List.of(inherited("p.Sub.Nested"), samePackage("p.Nested")));
        var withTestReference = new GraphFragment("s", "r", "test/Sub.java", "sha", 1, "r:test/Sub.java", 6,
            testSub.nodes(), testSub.relationships(), List.of(), List.of(testReference));
        assertThat(targets(ImportedLinks.of(List.of(sub, withTestReference))))
            .containsEntry("OF_TYPE r:test:p.Sub#f", "r:test:p.Base.Nested inherited");
    }

    private static GraphNode method(String type, String name, String visibility) {
        return new GraphNode("Method", id(type) + "#" + name + "()", List.of(), Map.of("name", name, "arity", 0L,
            "signature", name + "()", "visibility", visibility, "static", false), false);
    }

    @Test
    void aCallGoesToTheMethodASupertypeInAnotherFileDeclaresAndAnOverrideToTheMethodItOverrides() {
        GraphNode baseRun = method("p.Base", "run", "public");
        GraphNode subRun = method("p.Sub", "run", "public");
        GraphNode subHelp = method("p.Sub", "help", "private");
        GraphNode userMain = method("p.User", "main", "public");
        var base = file("Base.java", List.of("p.Base"), List.of(
                new GraphRelationship("DECLARES", "Type", id("p.Base"), "Method", baseRun.id(), Map.of())),
            reference("EXTENDS", id("p.Base"),
                new Candidate("java.lang.Object", "java.lang.Object", Resolution.EXACT, true, false)));
        var sub = withNodes(file("Sub.java", List.of("p.Sub"), List.of(
                new GraphRelationship("DECLARES", "Type", id("p.Sub"), "Method", subRun.id(), Map.of()),
                new GraphRelationship("DECLARES", "Type", id("p.Sub"), "Method", subHelp.id(), Map.of())),
            reference("EXTENDS", id("p.Sub"), samePackage("p.Base"))), subRun, subHelp);
        var user = withNodes(file("User.java", List.of("p.User"), List.of(
            new GraphRelationship("DECLARES", "Type", id("p.User"), "Method", userMain.id(), Map.of()))), userMain);
        var calls = List.of(
            // sub.run() on a Sub: Sub's own; sub.toString(): nothing declares it, the JDK's Object has it.
            new MethodReference(userMain.id(), ORIGIN, List.of(List.of(samePackage("p.Sub"))), "run", 0, List.of(), 3),
            new MethodReference(userMain.id(), ORIGIN, List.of(List.of(samePackage("p.Sub"))), "toString", 0,
                List.of(), 4),
            // base.run(): Base's.
            new MethodReference(userMain.id(), ORIGIN, List.of(List.of(samePackage("p.Base"))), "run", 0, List.of(), 5));
        user = new GraphFragment("s", "r", user.path(), "sha", 1, user.fileId(), 6, user.nodes(), user.relationships(),
            List.of(), List.of(), calls);

        var links = ImportedLinks.of(List.of(withNodes(base, baseRun), sub, user));

        assertThat(links.edges()).filteredOn(edge -> edge.type().equals("INVOKES"))
            .extracting(edge -> edge.toId() + " " + edge.properties().get("resolution") + " line "
                + edge.properties().get("line"))
            .containsExactlyInAnyOrder(subRun.id() + " package line 3", baseRun.id() + " package line 5",
                "external:java.lang.Object#toString/0 package line 4");
        assertThat(links.edges()).filteredOn(edge -> edge.type().equals("OVERRIDES"))
            .extracting(edge -> edge.fromId() + " -> " + edge.toId())
            .containsExactly(subRun.id() + " -> " + baseRun.id());
        assertThat(links.nodes()).extracting(GraphNode::id)
            .contains("external:java.lang.Object#toString/0", "external:java.lang.Object");
    }

    private static GraphFragment withNodes(GraphFragment fragment, GraphNode... nodes) {
        List<GraphNode> all = new ArrayList<>(fragment.nodes());
        all.addAll(List.of(nodes));
        return new GraphFragment("s", "r", fragment.path(), "sha", 1, fragment.fileId(), 6, all,
            fragment.relationships(), List.of(), fragment.references(), fragment.calls());
    }
}
