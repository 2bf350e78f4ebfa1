package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import org.neo4j.driver.SimpleQueryRunner;

import org.neo4j.driver.Record;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>Concurrency: before the methods of the hierarchies are read, the names of every type in them are locked (the
 * link locks of {@link ReferenceLinker}), and the hierarchies are read again under the locks until no new name turns
 * up. A writer adding a method to a supertype holds that type's name, so one of the two waits
 * for the other's commit, and the later one sees the earlier one's nodes: either the subtype's writer sees the new
 * method, or the supertype's writer finds the committed subtype among the subtypes it settles again.
 *
 * <p>The search runs here, not in Cypher: a Cypher path pattern up the hierarchy enumerates every path (interface
 * diamonds multiply them) and checks every type on each path again for each method, which made this the slowest
 * statement of a first scan (29% of the writers' transaction time on 1,200 files of {@code java.base}). Here the
 * {@link Hierarchy} is read level by level, each type once, and each method's search is a breadth-first walk that
 * does not go past a type declaring a method of its signature: the nearest on each path, in time linear in the
 * hierarchy.
 */
final class OverrideLinker {
    static final String OVERRIDES = "OVERRIDES";
    private static final int MAX_DEPTH = Hierarchy.MAX_DEPTH;

    /** The subtypes in the graph of the given types. */
    private static final String READ_SUBTYPES = """
        UNWIND $ids AS id
        MATCH (sub:Type)-[:EXTENDS|IMPLEMENTS*1..%d]->(:Type {id: id})
        WHERE sub.external IS NULL
        RETURN DISTINCT sub.id AS id""".formatted(MAX_DEPTH);

    /**
     * The methods that can override or be overridden (neither constructors, static nor private) of the given types:
     * every one of the types settled ({@code row.all}), those of the settled methods' names of their supertypes.
     * {@code wildcards}: the parameter positions whose type is a type variable of the method's type (not the
     * method's own), which stand for any reference type; {@code overrides}: the method's current edges.
     */
    private static final String READ_METHODS = """
        UNWIND $rows AS row
        MATCH (:Type {id: row.id})-[:DECLARES]->(m:Method)
        WHERE m.name <> '<init>' AND m.static = false AND m.visibility <> 'private'
          AND (row.all OR m.name IN $names)
        RETURN row.id AS type, m.id AS id, m.name AS name, m.signature AS signature, m.arity AS arity,
               m.visibility AS visibility,
               [(m)-[:HAS]->(p:Parameter) WHERE p.typeVariable IS NOT NULL
                  AND NOT p.typeVariable IN coalesce(m.typeParameters, []) | p.index] AS wildcards,
               CASE WHEN row.all THEN [(m)-[:OVERRIDES]->(o:Method) | o.id] ELSE [] END AS overrides""";

    private static final String DELETE_OVERRIDES = """
        UNWIND $rows AS row
        MATCH (:Method {id: row.from})-[r:OVERRIDES]->(:Method {id: row.to})
        DELETE r""";

    private static final String MERGE_OVERRIDES = """
        UNWIND $rows AS row
        MATCH (m:Method {id: row.from})
        MATCH (s:Method {id: row.to})
        MERGE (m)-[:OVERRIDES]->(s)""";

    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float",
        "double");

    private OverrideLinker() {}

    /** A method that can override or be overridden. */
    record MethodInfo(String id, String name, String signature, int arity, String visibility,
                      Set<Long> wildcards, List<String> parameters, List<String> overrides) {
        static MethodInfo of(Record r) {
            return of(r.get("id").asString(), r.get("name").asString(), r.get("signature").asString(),
                r.get("arity").asInt(), r.get("visibility").asString(), Set.copyOf(r.get("wildcards").asList(v -> v.asLong())),
                r.get("overrides").asList(v -> v.asString()));
        }

        static MethodInfo of(String id, String name, String signature, int arity, String visibility,
                             Set<Long> wildcards, List<String> overrides) {
            // The signature spells the erased parameter types as written: name(A,B).
            List<String> parameters = arity == 0 ? List.of()
                : List.of(signature.substring(name.length() + 1, signature.length() - 1).split(",", -1));
            return new MethodInfo(id, name, signature, arity, visibility, wildcards, parameters, overrides);
        }

        /** Whether the method can override or be overridden: neither a constructor, static nor private. */
        static boolean overridable(String name, Object isStatic, Object visibility) {
            return !name.equals("<init>") && Boolean.FALSE.equals(isStatic) && visibility != null
                && !visibility.equals("private");
        }

        /**
         * Whether this supertype method has the signature of {@code m}: the same parameter types as written, or, where
         * its parameter is a type variable of its type ({@code setValue(T)} of {@code Mutable<T>}), any reference type
         * ({@code setValue(Number)} of {@code MutableInt implements Mutable<Number>}), which javac bridges. A generic
         * method's own type variable ({@code <B extends Appendable> B appendTo(B)}) is no wildcard: an override
         * declares one with the same erasure, which the signature spells. Arrays are left out on both sides.
         */
        boolean sameSignature(MethodInfo m) {
            if (signature.equals(m.signature)) {
                return true;
            }
            if (arity != m.arity || parameters.size() != arity || m.parameters.size() != arity) {
                return false;
            }
            for (int i = 0; i < arity; i++) {
                String mine = m.parameters.get(i);
                boolean same = mine.equals(parameters.get(i))
                    || (!PRIMITIVES.contains(mine) && !mine.endsWith("[]") && wildcards.contains((long) i));
                if (!same) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Settles the overrides the batch's changes affect; call after the type references are linked.
     *
     * @param changed        the ids of the files written for the first time or with other content than last time:
     *                       the subtypes of their types are settled again too (an unchanged file's methods change
     *                       nothing below them)
     * @param movedHierarchy the types whose EXTENDS or IMPLEMENTS edges the type linker moved
     * @return how many OVERRIDES edges the settled methods have
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
        Hierarchy types = Hierarchy.readLocked(tx, affected);

        Map<String, List<MethodInfo>> methods = methods(tx, affected, types);
        Map<String, Set<String>> wanted = new TreeMap<>();
        Map<String, List<String>> current = new HashMap<>();
        for (String id : affected) {
            Hierarchy.Type type = types.type(id);
            if (type == null) {
                continue; // not in the graph (a type the batch deleted)
            }
            for (MethodInfo m : methods.getOrDefault(id, List.of())) {
                current.put(m.id(), m.overrides());
                wanted.put(m.id(), overridden(id, type.pkg(), m, types, methods));
            }
        }
        List<Map<String, Object>> deletes = new ArrayList<>();
        List<Map<String, Object>> merges = new ArrayList<>();
        long edges = 0;
        for (var entry : wanted.entrySet()) {
            Set<String> have = new TreeSet<>(current.getOrDefault(entry.getKey(), List.of()));
            for (String to : have) {
                if (!entry.getValue().contains(to)) {
                    deletes.add(Map.of("from", entry.getKey(), "to", to));
                }
            }
            for (String to : entry.getValue()) {
                if (!have.contains(to)) {
                    merges.add(Map.of("from", entry.getKey(), "to", to));
                }
            }
            edges += entry.getValue().size();
        }
        if (!deletes.isEmpty()) {
            tx.run(DELETE_OVERRIDES, Map.of("rows", deletes)).consume();
        }
        if (!merges.isEmpty()) {
            tx.run(MERGE_OVERRIDES, Map.of("rows", merges)).consume();
        }
        return edges;
    }

    /**
     * The methods {@code m} of {@code typeId} overrides: breadth first up the hierarchy, each supertype declaring a
     * method of m's signature (package-private ones only from m's package, JLS §8.4.8.1) ends its path there.
     */
    static Set<String> overridden(String typeId, String myPackage, MethodInfo m, Hierarchy types,
                                          Map<String, List<MethodInfo>> methods) {
        Set<String> found = new TreeSet<>();
        Set<String> seen = new HashSet<>(Set.of(typeId));
        ArrayDeque<String> level = new ArrayDeque<>(types.type(typeId).supertypes());
        for (int depth = 1; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String id : level) {
                if (!seen.add(id)) {
                    continue;
                }
                Hierarchy.Type type = types.type(id);
                if (type == null) {
                    continue;
                }
                boolean declares = false;
                for (MethodInfo s : methods.getOrDefault(id, List.of())) {
                    if (s.name().equals(m.name()) && s.sameSignature(m)
                        && (!s.visibility().equals("package") || java.util.Objects.equals(type.pkg(), myPackage))) {
                        declares = true;
                        if (!type.external()) {
                            found.add(s.id());
                        }
                    }
                }
                if (!declares) {
                    next.addAll(type.supertypes());
                }
            }
            level = next;
        }
        return found;
    }

    /** The methods of the settled types, and those of their names of the other types of their hierarchies. */
    private static Map<String, List<MethodInfo>> methods(SimpleQueryRunner tx, Set<String> affected,
                                                         Hierarchy types) {
        Map<String, List<MethodInfo>> methods = new HashMap<>();
        List<Map<String, Object>> own = new ArrayList<>();
        affected.stream().filter(id -> types.type(id) != null).forEach(id -> own.add(Map.of("id", id, "all", true)));
        tx.run(READ_METHODS, Map.of("rows", own, "names", List.of())).forEachRemaining(r ->
            methods.computeIfAbsent(r.get("type").asString(), k -> new ArrayList<>()).add(MethodInfo.of(r)));
        Set<String> names = new TreeSet<>();
        methods.values().forEach(list -> list.forEach(m -> names.add(m.name())));
        List<Map<String, Object>> others = new ArrayList<>();
        types.types().stream().filter(t -> !affected.contains(t.id()) && !t.external()).map(Hierarchy.Type::id).sorted()
            .forEach(id -> others.add(Map.of("id", id, "all", false)));
        if (!names.isEmpty() && !others.isEmpty()) {
            tx.run(READ_METHODS, Map.of("rows", others, "names", List.copyOf(names))).forEachRemaining(r ->
                methods.computeIfAbsent(r.get("type").asString(), k -> new ArrayList<>()).add(MethodInfo.of(r)));
        }
        return methods;
    }
}
