package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import org.neo4j.driver.SimpleQueryRunner;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The link step of {@code (:Method)-[:OVERRIDES]->(:Method)}: a method overrides, on each path up its type's
 * hierarchy in the graph, the nearest method of the same signature (name and erased parameter types as written, a
 * supertype's type variable standing for any reference type, a generic method's own not) that is neither private
 * nor static; constructors and static methods override nothing. The hierarchy is the
 * graph's, across files, so the edges are settled in the writer after the batch's {@code EXTENDS} and
 * {@code IMPLEMENTS} are; see {@code docs/design-resolution.md}, "Overrides".
 *
 * <p>What a batch settles: the methods of the types it writes and of the types whose supertype edges the type
 * linker moved, and of every subtype of those (a method appearing or going in the middle of a hierarchy changes
 * what the methods below override). Their {@code OVERRIDES} edges are deleted and computed again, so the edges are
 * the same whatever order the files arrived in. A method deleted with its file takes its edges along (the sweep's
 * {@code DETACH DELETE}); the hierarchy below it is cut at the deleted type, so nothing else changes.
 *
 * <p>Concurrency: before reading the hierarchies, the names of every type in them are locked (the link locks of
 * {@link ReferenceLinker}). A writer adding a method to a supertype holds that type's name, so one of the two waits
 * for the other's commit, and the later one sees the earlier one's nodes: either the subtype's writer sees the new
 * method, or the supertype's writer finds the committed subtype among the subtypes it settles again.
 */
final class OverrideLinker {
    static final String OVERRIDES = "OVERRIDES";
    /** How far up a hierarchy the search goes, as the call linker's. */
    private static final int MAX_DEPTH = 12;

    /** The subtypes in the graph of the given types. */
    private static final String READ_SUBTYPES = """
        UNWIND $ids AS id
        MATCH (sub:Type)-[:EXTENDS|IMPLEMENTS*1..%d]->(:Type {id: id})
        WHERE sub.external IS NULL
        RETURN DISTINCT sub.id AS id""".formatted(MAX_DEPTH);

    /** The simple names of the declared types in the hierarchies of the affected types, for the link locks. */
    private static final String READ_HIERARCHY_NAMES = """
        UNWIND $ids AS id
        MATCH (:Type {id: id})-[:EXTENDS|IMPLEMENTS*0..%d]->(s:Type)
        WHERE s.external IS NULL
        RETURN DISTINCT s.name AS name""".formatted(MAX_DEPTH);

    private static final String DELETE_OVERRIDES = """
        UNWIND $ids AS id
        MATCH (:Type {id: id})-[:DECLARES]->(:Method)-[r:OVERRIDES]->()
        DELETE r""";

    /**
     * Whether a method (the variable formatted in) has the signature of {@code m}, whose parameter types are
     * {@code mine}: the same parameter types as written, or, where its parameter is a type variable of its type
     * ({@code setValue(T)} of {@code Mutable<T>}: the parameter's {@code typeVariable}), any reference type
     * ({@code setValue(Number)} of {@code MutableInt implements Mutable<Number>}), which javac bridges. A generic
     * method's own type variable ({@code <B extends Appendable> B appendTo(B)}, in its {@code typeParameters}) is
     * no wildcard: an override declares one with the same erasure, which the signature spells. Arrays are left out
     * on both sides.
     */
    private static final String SAME_SIGNATURE = """
        (%1$s.signature = m.signature OR (%1$s.arity = m.arity AND all(i IN range(0, m.arity - 1) WHERE
            mine[i] = split(substring(%1$s.signature, size(m.name) + 1, size(%1$s.signature) - size(m.name) - 2), ',')[i]
            OR (NOT mine[i] IN $primitives AND NOT mine[i] ENDS WITH '[]'
                AND EXISTS { (%1$s)-[:HAS]->(p:Parameter {index: i})
                             WHERE p.typeVariable IS NOT NULL
                               AND NOT p.typeVariable IN coalesce(%1$s.typeParameters, []) }))))""";

    /**
     * The nearest overridden method on each path: a method of the same signature in a supertype with no type in
     * between declaring one too. A package-private method is overridden only from its own package (JLS §8.4.8.1):
     * the package is the binary name before its last dot ({@code p.A$B} is in {@code p}).
     */
    private static final String MERGE_OVERRIDES = """
        UNWIND $ids AS id
        MATCH (t:Type {id: id})-[:DECLARES]->(m:Method)
        WHERE m.name <> '<init>' AND NOT m.static AND m.visibility <> 'private'
        WITH t, m, split(substring(m.signature, size(m.name) + 1, size(m.signature) - size(m.name) - 2), ',') AS mine,
             split(t.binaryName, '.')[..-1] AS myPackage
        MATCH path = (t)-[:EXTENDS|IMPLEMENTS*1..%1$d]->(u:Type)-[:DECLARES]->(s:Method {name: m.name})
        WHERE u.external IS NULL AND NOT s.static AND s.visibility <> 'private' AND %2$s
          AND (s.visibility <> 'package' OR split(u.binaryName, '.')[..-1] = myPackage)
          AND none(x IN nodes(path)[1..-2]
                   WHERE EXISTS { (x)-[:DECLARES]->(o:Method {name: m.name})
                                  WHERE NOT o.static AND o.visibility <> 'private' AND %3$s
                                    AND (o.visibility <> 'package' OR split(x.binaryName, '.')[..-1] = myPackage) })
        WITH DISTINCT m, s
        MERGE (m)-[:OVERRIDES]->(s)
        RETURN count(*) AS edges""".formatted(MAX_DEPTH, SAME_SIGNATURE.formatted("s"), SAME_SIGNATURE.formatted("o"));

    private static final List<String> PRIMITIVES = List.of("boolean", "byte", "char", "short", "int", "long", "float",
        "double");

    private OverrideLinker() {}

    /**
     * Settles the overrides the batch's changes affect; call after the type references are linked.
     *
     * @param changed        the ids of the files written for the first time or with other content than last time:
     *                       the subtypes of their types are settled again too (an unchanged file's methods change
     *                       nothing below them)
     * @param movedHierarchy the types whose EXTENDS or IMPLEMENTS edges the type linker moved
     * @return how many OVERRIDES edges were written (again)
     */
    static long link(SimpleQueryRunner tx, List<GraphFragment> written, Set<String> changed,
                     Set<String> movedHierarchy) {
        Set<String> affected = new TreeSet<>();
        Set<String> above = new TreeSet<>(movedHierarchy);
        for (GraphFragment fragment : written) {
            for (GraphNode node : fragment.nodes()) {
                if (node.label().equals("Type") && !node.shared()) {
                    affected.add(node.id());
                    if (changed.contains(fragment.fileId())) {
                        above.add(node.id());
                    }
                }
            }
        }
        affected.addAll(movedHierarchy);
        if (!above.isEmpty()) {
            tx.run(READ_SUBTYPES, Map.of("ids", List.copyOf(above))).forEachRemaining(r -> affected.add(r.get("id").asString()));
        }
        if (affected.isEmpty()) {
            return 0;
        }
        List<String> ids = List.copyOf(affected);
        Set<String> names = new TreeSet<>();
        tx.run(READ_HIERARCHY_NAMES, Map.of("ids", ids)).forEachRemaining(r -> names.add(r.get("name").asString()));
        ReferenceLinker.lock(tx, names);
        tx.run(DELETE_OVERRIDES, Map.of("ids", ids)).consume();
        return tx.run(MERGE_OVERRIDES, Map.of("ids", ids, "primitives", PRIMITIVES)).single().get("edges").asLong();
    }
}
