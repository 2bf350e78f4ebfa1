package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.common.model.TypeReference;
import io.ast2graph.common.model.TypeReference.Candidate;
import io.ast2graph.common.model.TypeReference.Resolution;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The link step: settles the {@link TypeReference}s of a batch against the types the graph declares, and settles
 * again the references written earlier whose answer the batch changes. It runs inside the batch's transaction, so
 * every writer links its own batches in parallel with the others; see {@code docs/design-resolution.md}.
 *
 * <p>A reference edge keeps its candidates ({@code candidates}, {@link Candidate#encoded()}) and its file's
 * {@code origin}, so it can be settled again without its fragment:
 * <ul>
 *   <li>before the sweep deletes a declared type, the reference edges into it from elsewhere are read, and settled
 *       again once the batch is written: they fall back to another declaration or an external placeholder;</li>
 *   <li>after the batch's types are written, the reference edges that name a newly declared type among their
 *       candidates are settled again: they move from a placeholder (or a later candidate) to the declaration.</li>
 * </ul>
 * Every candidate of a reference has the same simple name, and an edge always points at a type of that name, so the
 * edges a new declaration may take over are found through the {@code Type(name)} index.
 *
 * <p>External placeholders are shared nodes, created once and never updated. A placeholder an edge moves away from
 * is deleted when nothing else points at it, so the graph does not depend on arrival order; placeholders left by
 * deleted files stay (like packages) until pruned.
 */
final class ReferenceLinker {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** Rounds of settling inherited member types; a chain of such lookups deeper than this is not followed. */
    private static final int MAX_HIERARCHY_ROUNDS = 4;

    /** Reference edges into the types a batch is about to delete, read before the sweep deletes them. */
    private static final String READ_REFERENCES_INTO_REMOVED = """
        UNWIND $files AS f
        MATCH (:File {id: f.id})-[:DECLARES*1..]->(t:Type)
        WHERE NOT t.id IN f.keep
        MATCH (t)<-[r]-(s)
        WHERE r.candidates IS NOT NULL
        RETURN type(r) AS type, [l IN labels(s) WHERE l IN $labels][0] AS fromLabel, s.id AS fromId,
               r.origin AS origin, r.candidates AS candidates, t.id AS target, properties(r) AS props""";

    /** The label of the nodes the link step locks, one per simple type name; not part of the code graph. */
    static final String LOCK_LABEL = "LinkLock";

    /**
     * Takes the link lock of each simple name, shared or exclusive, in the order of the rows (sorted by name), so that
     * writers locking the same names queue rather than deadlock. The lock is the uniqueness constraint's entry of the
     * name's {@code LinkLock} node, held until the transaction ends:
     * <ul>
     *   <li>shared: {@code MERGE} finds the node through the constraint and holds its entry shared (the constraint's
     *       guard against a concurrent create), so any number of writers that only read a name's declarations hold
     *       it at once;</li>
     *   <li>exclusive: changing the constrained property takes the entry exclusive (Neo4j checks the new value's
     *       uniqueness under that lock), so the name is set to another value and back: it waits for every holder and
     *       holds off every other. A name locked for the first time is created, which takes the entry exclusive too.</li>
     * </ul>
     * {@code LinkLockIT} checks both modes against the Neo4j this project runs on.
     */
    static final String LOCK_NAMES = """
        UNWIND $rows AS row
        CALL (row) {
          OPTIONAL MATCH (held:%1$s {name: row.name})
          WITH row, held
          CALL (row, held) {
            WITH row, held WHERE held IS NULL OR NOT row.exclusive
            MERGE (l:%1$s {name: row.name})
            WITH row, l WHERE row.exclusive
            SET l.name = row.name + ' ', l.name = row.name
          }
          CALL (row, held) {
            WITH row, held WHERE held IS NOT NULL AND row.exclusive
            REMOVE held:%1$s
            WITH row, held
            SET held:%1$s
          }
        }""".formatted(LOCK_LABEL);

    /** The simple names of the declared types a batch's sweep is about to delete. */
    private static final String READ_REMOVED_NAMES = """
        UNWIND $files AS f
        MATCH (:File {id: f.id})-[:DECLARES*1..]->(t:Type)
        WHERE NOT t.id IN f.keep
        RETURN DISTINCT t.name AS name""";

    /** Which of the batch's declared types the graph does not hold yet. */
    private static final String READ_NEW_TYPES = """
        UNWIND $types AS t
        OPTIONAL MATCH (existing:Type {id: t.id})
        WITH t WHERE existing IS NULL
        RETURN t.name AS name, t.fqn AS fqn""";

    /** Reference edges that name one of the new declarations among their candidates. */
    private static final String READ_REFERENCES_TO_NAMES = """
        UNWIND $names AS name
        MATCH (t:Type {name: name})<-[r]-(s)
        WHERE r.candidates IS NOT NULL
          AND any(c IN r.candidates WHERE split(c, ';')[2] IN $fqns OR c STARTS WITH 'inherited;')
        RETURN type(r) AS type, [l IN labels(s) WHERE l IN $labels][0] AS fromLabel, s.id AS fromId,
               r.origin AS origin, r.candidates AS candidates, t.id AS target, properties(r) AS props""";

    /**
     * The reference edges with INHERITED candidates out of the given types, their subtypes, and everything they
     * declare: their lookups go up a hierarchy one of whose edges just moved.
     */
    private static final String READ_INHERITED_REFERENCES_BELOW = """
        UNWIND $ids AS id
        MATCH (t:Type {id: id})
        OPTIONAL MATCH (sub:Type)-[:EXTENDS|IMPLEMENTS*1..12]->(t)
        WITH collect(DISTINCT t) + collect(DISTINCT sub) AS types
        UNWIND types AS type
        WITH DISTINCT type WHERE type.external IS NULL
        MATCH (type)-[:DECLARES|HAS*0..]->(s)-[r]->(target:Type)
        WHERE r.candidates IS NOT NULL AND any(c IN r.candidates WHERE c STARTS WITH 'inherited;')
        RETURN DISTINCT type(r) AS type, [l IN labels(s) WHERE l IN $labels][0] AS fromLabel, s.id AS fromId,
               r.origin AS origin, r.candidates AS candidates, target.id AS target,
               properties(r) AS props""";

    /** The nearest member type of a name among an enclosing type's supertypes (for INHERITED candidates). */
    private static final String READ_INHERITED = """
        UNWIND $rows AS row
        MATCH (e:Type {fqn: row.enclosing})
        WHERE e.external IS NULL AND e.id STARTS WITH row.origin
        MATCH path = (e)-[:EXTENDS|IMPLEMENTS*1..12]->(:Type)-[:DECLARES]->(m:Type {name: row.name})
        WITH row, m, length(path) AS depth ORDER BY depth, m.id
        RETURN row.key AS key, collect(m.id)[0] AS id""";

    private static final String READ_DECLARED = """
        UNWIND $fqns AS fqn
        MATCH (t:Type {fqn: fqn})
        WHERE t.external IS NULL
        RETURN fqn, t.id AS id""";

    /** Placeholders are only created, never updated: every writer links to java.lang.String, none may lock it. */
    private static final String MERGE_EXTERNALS = """
        UNWIND $rows AS row
        MERGE (t:Type {id: row.id}) ON CREATE SET t += row.props""";

    /**
     * Deletes the placeholders an edge moved away from when nothing else points at them, so that the graph does not
     * depend on the order files arrived in. A plain DELETE, not DETACH: should another writer link to the placeholder
     * concurrently, this transaction fails and is retried rather than dropping that writer's edge.
     */
    private static final String DELETE_ABANDONED_PLACEHOLDERS = """
        UNWIND $ids AS id
        MATCH (t:Type {id: id})
        WHERE t.external AND NOT (t)--()
        DELETE t""";

    private ReferenceLinker() {}

    /** An edge to settle: a reference, and where it points now if it exists already. */
    record Edge(TypeReference reference, String currentTarget) {}

    /** The simple and fully qualified names of the batch's declared types that the graph does not hold yet. */
    record NewTypes(Set<String> names, Set<String> fqns) {}

    /** What the link step learned before the sweep. */
    record Before(List<Edge> orphaned, Set<String> newNames, Set<String> newFqns) {}

    /** Which of the batch's declared types are new to the graph; call before the batch's nodes are written. */
    static NewTypes newTypes(SimpleQueryRunner tx, List<GraphFragment> toWrite) {
        List<Map<String, Object>> declared = new ArrayList<>();
        for (GraphFragment fragment : toWrite) {
            for (GraphNode node : fragment.nodes()) {
                if (node.label().equals("Type") && !node.shared()) {
                    declared.add(Map.of("id", node.id(), "name", String.valueOf(node.properties().get("name")),
                        "fqn", String.valueOf(node.properties().get("fqn"))));
                }
            }
        }
        Set<String> names = new TreeSet<>();
        Set<String> fqns = new TreeSet<>();
        if (!declared.isEmpty()) {
            tx.run(READ_NEW_TYPES, Map.of("types", declared)).forEachRemaining(r -> {
                names.add(r.get("name").asString());
                fqns.add(r.get("fqn").asString());
            });
        }
        return new NewTypes(names, fqns);
    }

    /**
     * Locks every simple name whose declarations the batch reads or changes: exclusive the names it declares and the
     * names of the declared types its sweep will delete, shared the names its references and calls may mean. A writer
     * that changes a name's declarations and one that reads them therefore run one after the other, and the second
     * reads what the first committed: a reference written while its declaration is being written elsewhere cannot
     * stay on a placeholder, and an edge cannot be created into a type another writer is deleting. Writers that only
     * read a name do not wait for each other, so the popular names every batch references ({@code String},
     * {@code List}) serialize nothing.
     */
    static void lockNames(SimpleQueryRunner tx, List<Map<String, Object>> sweeps, List<GraphFragment> toWrite) {
        Set<String> read = new TreeSet<>();
        Set<String> changed = new TreeSet<>();
        for (GraphFragment fragment : toWrite) {
            for (TypeReference reference : fragment.references()) {
                read.add(reference.candidates().getFirst().name());
            }
            for (GraphNode node : fragment.nodes()) {
                if (node.label().equals("Type") && !node.shared()) {
                    changed.add(String.valueOf(node.properties().get("name")));
                }
            }
        }
        read.addAll(CallLinker.ownerNames(toWrite));
        if (!sweeps.isEmpty()) {
            tx.run(READ_REMOVED_NAMES, Map.of("files", sweeps)).forEachRemaining(r -> changed.add(r.get("name").asString()));
        }
        lock(tx, read, changed);
    }

    /**
     * Takes the link locks of these simple names: exclusive ones for a batch that changes what a name means (declares or
     * deletes a type of that name, or a method above the types of that name), shared ones for a batch that only reads
     * what it means. A lock already held is taken again at no cost; a name in both sets is taken exclusive.
     */
    static void lock(SimpleQueryRunner tx, Set<String> shared, Set<String> exclusive) {
        Map<String, Boolean> modes = new TreeMap<>();
        shared.forEach(name -> modes.put(name, false));
        exclusive.forEach(name -> modes.put(name, true));
        if (!modes.isEmpty()) {
            List<Map<String, Object>> rows = new ArrayList<>(modes.size());
            modes.forEach((name, isExclusive) -> rows.add(Map.of("name", name, "exclusive", isExclusive)));
            tx.run(LOCK_NAMES, Map.of("rows", rows)).consume();
        }
    }

    /**
     * Reads, before the sweep and under the name locks, the reference edges into types the batch deletes.
     *
     * @param sweeps the sweep rows ({@code id}, {@code keep}): the files whose owned nodes not kept go
     */
    static Before beforeSweep(SimpleQueryRunner tx, List<Map<String, Object>> sweeps, NewTypes newTypes) {
        List<Edge> orphaned = sweeps.isEmpty() ? List.of() : tx.run(READ_REFERENCES_INTO_REMOVED, Map.of(
                "files", sweeps, "labels", Neo4jGraphWriter.IDENTIFIED_LABELS))
            .list(ReferenceLinker::edge);
        return new Before(orphaned, newTypes.names(), newTypes.fqns());
    }

    /**
     * What linking wrote.
     *
     * @param movedAway      the placeholders edges moved away from: calls parked on their methods are settled again
     * @param movedHierarchy the types whose EXTENDS or IMPLEMENTS edges moved: their overrides are settled again
     */
    record Linked(long references, long resettled, Set<String> movedAway, Set<String> movedHierarchy) {}

    /**
     * Settles the batch's references and the edges the batch's declarations changed; call after the batch's nodes
     * and relationships are written.
     */
    static Linked link(SimpleQueryRunner tx, List<GraphFragment> written, Before before) {
        List<Edge> edges = new ArrayList<>(before.orphaned());
        if (!before.newNames().isEmpty()) {
            edges.addAll(tx.run(READ_REFERENCES_TO_NAMES, Map.of("names", List.copyOf(before.newNames()),
                    "fqns", List.copyOf(before.newFqns()), "labels", Neo4jGraphWriter.IDENTIFIED_LABELS))
                .list(ReferenceLinker::edge));
        }
        long resettled = edges.size();
        for (GraphFragment fragment : written) {
            fragment.references().forEach(reference -> edges.add(new Edge(reference, null)));
        }
        // References that may name an inherited member type need the hierarchy, so they are settled after the
        // others: the batch's own EXTENDS and IMPLEMENTS edges are written by then.
        List<Edge> direct = new ArrayList<>();
        List<Edge> viaHierarchy = new ArrayList<>();
        for (Edge edge : edges) {
            boolean inherited = edge.reference().candidates().stream()
                .anyMatch(c -> c.resolution() == Resolution.INHERITED);
            (inherited ? viaHierarchy : direct).add(edge);
        }
        Set<String> movedAway = new TreeSet<>();
        Set<String> movedHierarchy = new TreeSet<>();
        settleAndWrite(tx, direct, false, movedAway, movedHierarchy);
        // A reference with inherited candidates may be the very EXTENDS edge another one's hierarchy lookup needs
        // (class Sync extends AbstractQueuedSynchronizer, both names looked up among inherited member types first):
        // settle again, from what the previous round wrote, until nothing moves.
        // A supertype edge that moved (FutureTask's IMPLEMENTS went from a placeholder to RunnableFuture, which
        // extends Future) changes what the inherited lookups below it find (Future.State): those references, written
        // earlier, are settled again with this batch's.
        Set<String> writtenIds = new java.util.HashSet<>();
        written.forEach(fragment -> fragment.nodes().forEach(node -> writtenIds.add(node.id())));
        Set<String> seen = new java.util.HashSet<>();
        viaHierarchy.forEach(edge -> seen.add(key(edge.reference())));
        Set<String> hierarchyRead = new TreeSet<>();
        for (int round = 0; round < MAX_HIERARCHY_ROUNDS; round++) {
            Set<String> toRead = new TreeSet<>(movedHierarchy);
            toRead.removeAll(hierarchyRead);
            if (!toRead.isEmpty()) {
                hierarchyRead.addAll(toRead);
                List<Edge> below = tx.run(READ_INHERITED_REFERENCES_BELOW, Map.of("ids", List.copyOf(toRead),
                        "labels", Neo4jGraphWriter.IDENTIFIED_LABELS))
                    .list(ReferenceLinker::edge);
                for (Edge edge : below) {
                    if (!writtenIds.contains(edge.reference().fromId()) && seen.add(key(edge.reference()))) {
                        viaHierarchy.add(edge);
                    }
                }
            }
            if (viaHierarchy.isEmpty()) {
                break;
            }
            Map<Edge, String> targets = settleAndWrite(tx, viaHierarchy, true, movedAway, movedHierarchy);
            List<Edge> moved = new ArrayList<>();
            boolean changed = false;
            for (Edge edge : viaHierarchy) {
                String target = targets.get(edge);
                changed |= !target.equals(edge.currentTarget());
                moved.add(new Edge(edge.reference(), target));
            }
            if (!changed && hierarchyRead.containsAll(movedHierarchy)) {
                break;
            }
            viaHierarchy = moved;
        }
        return new Linked(edges.size() - resettled, resettled, movedAway, movedHierarchy);
    }

    /** What identifies a reference edge: its source, its kind and its candidates (one edge per reference). */
    private static String key(TypeReference reference) {
        return reference.type() + "\u0000" + reference.fromId() + "\u0000" + reference.encodedCandidates();
    }

    /** @return where each edge points now */
    private static Map<Edge, String> settleAndWrite(SimpleQueryRunner tx, List<Edge> edges, boolean viaHierarchy,
                                                    Set<String> movedAway, Set<String> movedHierarchy) {
        Map<Edge, String> targets = new HashMap<>();
        if (edges.isEmpty()) {
            return targets;
        }
        Set<String> fqns = new TreeSet<>();
        edges.forEach(edge -> edge.reference().candidates().forEach(c -> fqns.add(c.fqn())));
        Map<String, List<String>> declared = declared(tx, fqns);
        if (viaHierarchy) {
            Map<String, Map<String, Object>> lookups = new TreeMap<>();
            for (Edge edge : edges) {
                TypeReference reference = edge.reference();
                for (Candidate c : reference.candidates()) {
                    if (c.resolution() == Resolution.INHERITED) {
                        String key = inheritedKey(reference.origin(), c);
                        lookups.putIfAbsent(key, Map.of("key", key, "origin", reference.origin() + ":",
                            "enclosing", c.fqn().substring(0, c.fqn().lastIndexOf('.')), "name", c.name()));
                    }
                }
            }
            tx.run(READ_INHERITED, Map.of("rows", List.copyOf(lookups.values()))).forEachRemaining(r -> {
                if (!r.get("id").isNull()) {
                    declared.put(r.get("key").asString(), List.of(r.get("id").asString()));
                }
            });
        }

        Map<String, Map<String, Object>> externals = new TreeMap<>();
        Map<RelGroup, Map<String, Map<String, Object>>> rows = new TreeMap<>();
        Map<RelGroup, List<Map<String, Object>>> stale = new TreeMap<>();
        Set<String> abandoned = movedAway;
        for (Edge edge : edges) {
            Target target = settle(edge.reference(), declared);
            targets.put(edge, target.id());
            if (target.id().equals(edge.currentTarget())) {
                continue; // settled as before; rewriting it would only take locks
            }
            TypeReference reference = edge.reference();
            checkIdentifier(reference.type());
            checkIdentifier(reference.fromLabel());
            RelGroup group = new RelGroup(reference.type(), reference.fromLabel());
            if (edge.currentTarget() != null) {
                stale.computeIfAbsent(group, g -> new ArrayList<>())
                    .add(Map.of("from", reference.fromId(), "to", edge.currentTarget(),
                        "candidates", reference.encodedCandidates()));
                if (edge.currentTarget().startsWith(NodeIds.externalType(""))) {
                    abandoned.add(edge.currentTarget());
                }
                if (reference.type().equals("EXTENDS") || reference.type().equals("IMPLEMENTS")) {
                    movedHierarchy.add(reference.fromId());
                }
            }
            if (target.external() != null) {
                externals.putIfAbsent(target.id(), Map.of("id", target.id(), "props", target.external()));
            }
            rows.computeIfAbsent(group, g -> new TreeMap<>())
                .put(reference.fromId() + "\u0000" + target.id() + "\u0000" + reference.encodedCandidates(), Map.of(
                    "from", reference.fromId(),
                    "to", target.id(),
                    "candidates", reference.encodedCandidates(),
                    "props", props(reference, target)));
        }
        for (var group : stale.entrySet()) {
            tx.run(group.getKey().deleteCypher(), Map.of("rows", group.getValue())).consume();
        }
        if (!externals.isEmpty()) {
            tx.run(MERGE_EXTERNALS, Map.of("rows", List.copyOf(externals.values()))).consume();
        }
        for (var group : rows.entrySet()) {
            tx.run(group.getKey().cypher(), Map.of("rows", List.copyOf(group.getValue().values()))).consume();
        }
        if (!abandoned.isEmpty()) {
            tx.run(DELETE_ABANDONED_PLACEHOLDERS, Map.of("ids", List.copyOf(abandoned))).consume();
        }
        return targets;
    }

    /** A reference edge's properties: its own (an annotation's values), and what settling it again needs. */
    static Map<String, Object> props(TypeReference reference, Target target) {
        Map<String, Object> props = new HashMap<>(reference.properties());
        props.put("resolution", target.resolution().value());
        props.put("candidates", reference.encodedCandidates());
        props.put("origin", reference.origin());
        return props;
    }

    /** Fully qualified name → ids of the types the graph declares with it, for the names given. */
    static Map<String, List<String>> declared(SimpleQueryRunner tx, Set<String> fqns) {
        Map<String, List<String>> declared = new HashMap<>();
        if (!fqns.isEmpty()) {
            tx.run(READ_DECLARED, Map.of("fqns", List.copyOf(fqns))).forEachRemaining(r ->
                declared.computeIfAbsent(r.get("fqn").asString(), k -> new ArrayList<>()).add(r.get("id").asString()));
        }
        return declared;
    }

    /** Creates the external placeholder types ({@code id}, {@code props} rows) that do not exist yet. */
    static void mergeExternals(SimpleQueryRunner tx, Collection<Map<String, Object>> rows) {
        if (!rows.isEmpty()) {
            tx.run(MERGE_EXTERNALS, Map.of("rows", List.copyOf(rows))).consume();
        }
    }

    /** Where {@link #settle} finds what an INHERITED candidate's hierarchy lookup found. */
    static String inheritedKey(String origin, Candidate candidate) {
        return "inherited:" + origin + "|" + candidate.fqn();
    }

    /**
     * Where a reference points.
     *
     * @param external the placeholder's properties when the target is an external type, else null
     */
    record Target(String id, Resolution resolution, Map<String, Object> external) {}

    /**
     * The first candidate the graph declares (of several declarations, the one in the reference's source root, else
     * its repository, else the smallest id), else the first certain candidate as an external type, else the fallback
     * as an {@code inferred} external type.
     *
     * @param declared fully qualified name → ids of the types declared with it; for INHERITED candidates,
     *                 {@link #inheritedKey} → the member type found among the enclosing type's supertypes
     */
    static Target settle(TypeReference reference, Map<String, ? extends Collection<String>> declared) {
        for (Candidate candidate : reference.candidates()) {
            Collection<String> ids = declared.get(candidate.resolution() == Resolution.INHERITED
                ? inheritedKey(reference.origin(), candidate) : candidate.fqn());
            if (ids != null && !ids.isEmpty()) {
                return new Target(preferred(ids, reference.origin()), candidate.resolution(), null);
            }
            if (candidate.certain()) {
                return external(candidate, candidate.resolution());
            }
        }
        Candidate fallback = reference.candidates().stream().filter(Candidate::fallback).findFirst()
            .orElse(reference.candidates().getFirst());
        return external(fallback, Resolution.INFERRED);
    }

    private static String preferred(Collection<String> ids, String origin) {
        String repo = origin.substring(0, origin.indexOf(':') + 1);
        return ids.stream().min(Comparator
                .comparing((String id) -> !id.startsWith(origin + ":"))
                .thenComparing(id -> !id.startsWith(repo))
                .thenComparing(Comparator.naturalOrder()))
            .orElseThrow();
    }

    private static Target external(Candidate candidate, Resolution resolution) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", NodeIds.externalType(candidate.fqn()));
        props.put("fqn", candidate.fqn());
        props.put("binaryName", candidate.binaryName());
        props.put("name", candidate.name());
        props.put("external", true);
        return new Target(NodeIds.externalType(candidate.fqn()), resolution, Map.copyOf(props));
    }

    /**
     * A reference edge read back to be settled again ({@code type, fromLabel, fromId, origin, candidates, target,
     * props}): its own properties (an annotation's values) move with it.
     */
    private static Edge edge(Record r) {
        Map<String, Object> properties = new HashMap<>(r.get("props").asMap());
        properties.keySet().removeAll(TypeReference.EDGE_KEYS);
        return new Edge(new TypeReference(r.get("type").asString(), r.get("fromLabel").asString(),
            r.get("fromId").asString(), r.get("origin").asString(),
            TypeReference.decodeCandidates(r.get("candidates").asList(Value::asString)), properties),
            r.get("target").asString());
    }

    private static void checkIdentifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid reference type or label '" + name
                + "': only letters, digits and '_' are allowed");
        }
    }

    private record RelGroup(String type, String fromLabel) implements Comparable<RelGroup> {
        private static final Comparator<RelGroup> ORDER = Comparator.comparing(RelGroup::type)
            .thenComparing(RelGroup::fromLabel);

        String cypher() {
            // One edge per reference, not per pair of ends: two references of one node (Entry and Map.Entry) that
            // settle to one type now may part later, and each must keep its own candidates to be settled again.
            return "UNWIND $rows AS row MATCH (a:" + fromLabel + " {id: row.from}) MATCH (b:Type {id: row.to})"
                + " MERGE (a)-[r:" + type + " {candidates: row.candidates}]->(b) SET r += row.props";
        }

        /** Deletes edges by their ends, which the id indexes find (an element id lookup may scan). */
        String deleteCypher() {
            return "UNWIND $rows AS row MATCH (a:" + fromLabel + " {id: row.from})-[r:" + type + "]->(b:Type {id: row.to})"
                + " WHERE r.candidates = row.candidates DELETE r";
        }

        @Override
        public int compareTo(RelGroup other) {
            return ORDER.compare(this, other);
        }
    }
}
