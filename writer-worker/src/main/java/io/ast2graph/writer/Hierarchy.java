package io.ast2graph.writer;

import org.neo4j.driver.SimpleQueryRunner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The type hierarchies above some types, as the graph holds them: each type with its direct supertypes over
 * {@code EXTENDS} and {@code IMPLEMENTS}, read one level at a time, up to {@link #MAX_DEPTH} levels.
 *
 * <p>The link step's searches up a hierarchy run on this in Java rather than as Cypher path patterns: a pattern
 * like {@code (t)-[:EXTENDS|IMPLEMENTS*0..12]->(s)} enumerates every path, and interface diamonds multiply them
 * ({@code ArrayList} reaches {@code Collection} over four), so statements built on it were the slowest of a
 * first scan; here each type is met once, and a level is one statement for the whole batch.
 */
final class Hierarchy {
    /** How far up a hierarchy the link step looks. */
    static final int MAX_DEPTH = 12;

    private static final String READ_LEVEL = """
        UNWIND $ids AS id
        MATCH (t:Type {id: id})
        RETURN id, t.name AS name, t.fqn AS fqn, t.binaryName AS binaryName, coalesce(t.external, false) AS external,
               [(t)-[r:EXTENDS|IMPLEMENTS]->(s:Type) | [type(r), s.id]] AS supertypes""";

    /** A type of the hierarchies, with the ids of its direct supertypes. */
    record Type(String id, String name, String fqn, String binaryName, boolean external, List<String> superclasses,
                List<String> supertypes) {
        /** The package, as the binary name before its last dot ({@code p.A$B} is in {@code p}). */
        String pkg() {
            return binaryName == null ? null : binaryName.substring(0, Math.max(0, binaryName.lastIndexOf('.')));
        }
    }

    private final Map<String, Type> types;

    private Hierarchy(Map<String, Type> types) {
        this.types = types;
    }

    /** A hierarchy known in memory: every type of it, by id. */
    static Hierarchy of(Map<String, Type> types) {
        return new Hierarchy(types);
    }

    /** Reads the given types (those in the graph) and everything above them, up to {@link #MAX_DEPTH} levels. */
    static Hierarchy read(SimpleQueryRunner tx, Set<String> ids) {
        Map<String, Type> types = new HashMap<>();
        Set<String> level = new TreeSet<>(ids);
        for (int depth = 0; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
            Set<String> next = new TreeSet<>();
            tx.run(READ_LEVEL, Map.of("ids", List.copyOf(level))).forEachRemaining(r -> {
                List<String> superclasses = new ArrayList<>();
                List<String> supertypes = new ArrayList<>();
                for (var edge : r.get("supertypes").asList(v -> v.asList(x -> x.asString()))) {
                    supertypes.add(edge.get(1));
                    if (edge.get(0).equals("EXTENDS")) {
                        superclasses.add(edge.get(1));
                    }
                }
                String id = r.get("id").asString();
                types.put(id, new Type(id, r.get("name").asString(null), r.get("fqn").asString(null),
                    r.get("binaryName").asString(null), r.get("external").asBoolean(), List.copyOf(superclasses),
                    List.copyOf(supertypes)));
                next.addAll(supertypes);
            });
            next.removeAll(types.keySet());
            level = next;
        }
        return new Hierarchy(types);
    }

    /**
     * Reads the hierarchies, takes the shared link locks of the simple names of every type in them (a placeholder's
     * too: declaring its type moves the edges into it), and reads them again under the locks until no new name turns
     * up. A batch that changes one of these hierarchies (declares a type or a method in it, or moves one of its
     * supertype edges) holds the name of the type it declares exclusive: either this batch's reads see what that one
     * committed, or that one, waiting for these locks, sees what this batch commits.
     */
    static Hierarchy readLocked(SimpleQueryRunner tx, Set<String> ids) {
        Hierarchy types = read(tx, ids);
        Set<String> locked = new TreeSet<>();
        while (true) {
            Set<String> names = new TreeSet<>();
            types.types().forEach(t -> {
                if (t.name() != null) {
                    names.add(t.name());
                }
            });
            names.removeAll(locked);
            if (names.isEmpty()) {
                return types;
            }
            ReferenceLinker.lock(tx, names, Set.of());
            locked.addAll(names);
            types = read(tx, ids);
        }
    }

    /** The type, or null when it is not in the graph or more than {@link #MAX_DEPTH} levels above the ones read. */
    Type type(String id) {
        return types.get(id);
    }

    /** Every type read. */
    Collection<Type> types() {
        return types.values();
    }

    /**
     * The types above {@code start} and itself, each with its distance (the fewest edges, at most
     * {@link #MAX_DEPTH}), nearest first.
     */
    Map<String, Integer> distances(String start) {
        return distances(start, false);
    }

    /** As {@link #distances(String)}, over {@code EXTENDS} edges only: the superclass chain (or superinterfaces). */
    Map<String, Integer> chain(String start) {
        return distances(start, true);
    }

    private Map<String, Integer> distances(String start, boolean extendsOnly) {
        Map<String, Integer> distances = new LinkedHashMap<>();
        if (!types.containsKey(start)) {
            return distances;
        }
        distances.put(start, 0);
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            int depth = distances.get(id);
            Type type = types.get(id);
            if (type == null || depth == MAX_DEPTH) {
                continue;
            }
            for (String up : extendsOnly ? type.superclasses() : type.supertypes()) {
                if (!distances.containsKey(up) && types.containsKey(up)) {
                    distances.put(up, depth + 1);
                    queue.add(up);
                }
            }
        }
        return distances;
    }
}
