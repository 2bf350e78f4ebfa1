package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.MethodReference;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fragments that exercise every statement shape the writer runs on the graph's vocabulary, the link step's included
 * (type references of every kind, calls, overrides), so that a writer can compile all its query plans at start-up (in
 * a transaction it rolls back) instead of in its first batches.
 *
 * <p>Measured: in a freshly started Neo4j the first write of a single file took 10–25 s, almost all of it planning
 * one statement per label combination and relationship type; a rescan of one changed file paid it every time.
 *
 * <p>The sample file comes in two sizes, a tiny one and one the size of a large class (hundreds of rows per
 * statement): warmed with the tiny one only, the first real write of {@code java.util.ArrayList} (142 nodes, 145
 * relationships) still took 4–8 s under load, and warming three times more with it did not help; one write of a
 * file that size first brought it to 1 s (docs/benchmarks.md, "Producer").
 */
final class PlanWarmUp {
    private static final String REPO = "ast2graph-warm-up";

    private PlanWarmUp() {}

    /** Members of the large sample class: about what a large JDK class declares. */
    static final int LARGE_MEMBERS = 160;

    /**
     * Two versions of one file, each tiny and then large: every second one replaces the first, so the per-file sweep
     * is planned too, with few and with many nodes to keep.
     */
    static List<List<GraphFragment>> fragments() {
        return List.of(List.of(fragment(1, "a", 0)), List.of(fragment(2, "b", 0)),
            List.of(fragment(3, "c", LARGE_MEMBERS)), List.of(fragment(4, "d", LARGE_MEMBERS)));
    }

    /** @param members how many more methods and fields the sample class declares */
    private static GraphFragment fragment(long version, String sha, int members) {
        String file = REPO + ":Warm.java";
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphRelationship> rels = new ArrayList<>();
        nodes.add(new GraphNode("File", file, List.of(), Map.of("repo", REPO, "path", "Warm.java", "sha256", sha,
            "version", version), false));
        nodes.add(new GraphNode("Package", REPO + ".pkg", List.of(), Map.of("fqn", REPO + ".pkg"), true));
        for (String kind : List.of("Class", "Interface", "Enum", "Record", "Annotation")) {
            String type = REPO + ":" + kind;
            nodes.add(new GraphNode("Type", type, List.of(kind), Map.of("name", kind), false));
            rels.add(new GraphRelationship("DECLARES", "File", file, "Type", type, Map.of()));
            rels.add(new GraphRelationship("CONTAINS", "Package", REPO + ".pkg", "Type", type, Map.of()));
        }
        String owner = REPO + ":Class";
        rels.add(new GraphRelationship("DECLARES", "Type", owner, "Type", REPO + ":Record", Map.of()));
        nodes.add(new GraphNode("Method", owner + "#m()", List.of(), Map.of("name", "m"), false));
        nodes.add(new GraphNode("Method", owner + "#<init>()", List.of("Constructor"), Map.of("name", "<init>"), false));
        nodes.add(new GraphNode("Field", owner + "#f", List.of(), Map.of("name", "f"), false));
        nodes.add(new GraphNode("Field", REPO + ":Enum#C", List.of("EnumConstant"), Map.of("name", "C"), false));
        rels.add(new GraphRelationship("DECLARES", "Type", owner, "Method", owner + "#m()", Map.of()));
        rels.add(new GraphRelationship("DECLARES", "Type", owner, "Method", owner + "#<init>()", Map.of()));
        rels.add(new GraphRelationship("DECLARES", "Type", owner, "Field", owner + "#f", Map.of()));
        rels.add(new GraphRelationship("DECLARES", "Type", REPO + ":Enum", "Field", REPO + ":Enum#C", Map.of()));
        for (int i = 0; i < members; i++) {
            // Mostly methods, as in real classes.
            String member = i % 4 == 0 ? owner + "#f" + i : owner + "#m" + i + "()";
            String label = i % 4 == 0 ? "Field" : "Method";
            nodes.add(new GraphNode(label, member, List.of(), Map.of("name", label + i), false));
            rels.add(new GraphRelationship("DECLARES", "Type", owner, label, member, Map.of()));
        }
        return new GraphFragment("warm-up", REPO, "Warm.java", sha, version, file, 0, nodes, rels, List.of(),
            references(file, owner), calls(owner));
    }

    /**
     * References of every kind and source label the parser emits, to an absent type of the package (a placeholder,
     * settled again on the second version), to a JDK type and to an inherited member type: the link step's statements
     * are one per relationship type and source label.
     */
    private static List<TypeReference> references(String file, String owner) {
        String origin = REPO + ":";
        Candidate missing = new Candidate(REPO + ".pkg.Missing", REPO + ".pkg.Missing", Resolution.PACKAGE, false, true);
        Candidate string = new Candidate("java.lang.String", "java.lang.String", Resolution.IMPORT, true, true);
        Candidate inherited = new Candidate(REPO + ".pkg.Class.Missing", REPO + ".pkg.Class$Missing",
            Resolution.INHERITED, false, false);
        List<TypeReference> references = new ArrayList<>();
        List<List<String>> kinds = List.of(List.of("EXTENDS", "Type", owner), List.of("IMPLEMENTS", "Type", owner),
            List.of("DEPENDS_ON", "Type", owner), List.of("ANNOTATED_BY", "Type", owner),
            List.of("RETURNS", "Method", owner + "#m()"), List.of("THROWS", "Method", owner + "#m()"),
            List.of("ANNOTATED_BY", "Method", owner + "#m()"), List.of("OF_TYPE", "Field", owner + "#f"),
            List.of("ANNOTATED_BY", "Field", owner + "#f"), List.of("IMPORTS", "File", file),
            List.of("ANNOTATED_BY", "File", file));
        for (List<String> kind : kinds) {
            references.add(new TypeReference(kind.get(0), kind.get(1), kind.get(2), origin, List.of(missing)));
            references.add(new TypeReference(kind.get(0), kind.get(1), kind.get(2), origin, List.of(inherited, string)));
        }
        return references;
    }

    /** Calls on the JDK's String, on a type of the file, and on an absent type (parked). */
    private static List<MethodReference> calls(String owner) {
        String origin = REPO + ":";
        Candidate string = new Candidate("java.lang.String", "java.lang.String", Resolution.IMPORT, true, true);
        Candidate local = new Candidate(REPO + ".pkg.Class", REPO + ".pkg.Class", Resolution.PACKAGE, false, false);
        Candidate missing = new Candidate(REPO + ".pkg.Missing", REPO + ".pkg.Missing", Resolution.PACKAGE, false, true);
        String caller = owner + "#m()";
        return List.of(
            new MethodReference(caller, origin, List.of(List.of(string)), "length", 0, List.of(), 1),
            new MethodReference(caller, origin, List.of(List.of(local, missing)), "m", 0, List.of(), 2),
            new MethodReference(caller, origin, List.of(List.of(missing)), "absent", 1, List.of(""), 3));
    }
}
