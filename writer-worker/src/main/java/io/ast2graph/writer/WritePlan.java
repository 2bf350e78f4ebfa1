package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Cypher statements and parameter rows that write a set of fragments: one {@code UNWIND $rows ... MERGE}
 * statement per node label combination and per relationship type with its end labels, nodes before
 * relationships. Rows are sorted by id so that concurrent transactions lock shared nodes in the same order,
 * which keeps deadlocks rare.
 *
 * <p>Public so that the benchmark's raw loader writes exactly the same statements without the writer's
 * machinery around them (Kafka, per-file replacement, progress events).
 *
 * <p>Labels and relationship types cannot be Cypher parameters, so they are spliced into the statement text: only
 * identifiers made of letters, digits and '_' are accepted, anything else makes the fragment poison.
 */
public record WritePlan(List<Statement> nodeStatements, List<Statement> relationshipStatements,
                        List<Statement> sharedNodeStatements, List<Statement> sharedRelationshipStatements,
                        long nodeRows, long relationshipRows) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /** One statement and its rows. */
    public record Statement(String cypher, List<Map<String, Object>> rows) {}

    /** Every statement, nodes first. */
    public List<Statement> statements() {
        List<Statement> all = new ArrayList<>(nodeStatements);
        all.addAll(sharedNodeStatements);
        all.addAll(relationshipStatements);
        all.addAll(sharedRelationshipStatements);
        return all;
    }

    /**
     * The statements that touch shared nodes (packages): the shared nodes, then the relationships to or from them.
     * Every batch of a package's files writes them, and a transaction holds the locks they take until it commits, so
     * the writer runs them last, just before its commit, rather than holding the package for its whole link step.
     */
    public List<Statement> sharedStatements() {
        List<Statement> all = new ArrayList<>(sharedNodeStatements);
        all.addAll(sharedRelationshipStatements);
        return all;
    }

    public static WritePlan of(List<GraphFragment> fragments) {
        // label combination → (id → row); a node contributed twice (a shared package) is written once.
        Map<NodeGroup, Map<String, Map<String, Object>>> nodes = new TreeMap<>();
        Map<RelGroup, Map<String, Map<String, Object>>> rels = new TreeMap<>();
        Map<RelGroup, Map<String, Map<String, Object>>> sharedRels = new TreeMap<>();
        Set<String> shared = new HashSet<>();
        for (GraphFragment fragment : fragments) {
            fragment.nodes().stream().filter(GraphNode::shared).forEach(node -> shared.add(node.id()));
        }
        for (GraphFragment fragment : fragments) {
            for (GraphNode node : fragment.nodes()) {
                checkIdentifier(node.label(), "label");
                node.extraLabels().forEach(label -> checkIdentifier(label, "label"));
                Map<String, Object> props = new HashMap<>(node.properties());
                props.put("id", node.id());
                if (node.id().equals(fragment.fileId()) && node.label().equals("File")) {
                    props.put("builderVersion", (long) fragment.builderVersion());
                }
                var group = new NodeGroup(node.label(), node.extraLabels().stream().sorted().toList(), node.shared());
                nodes.computeIfAbsent(group, g -> new TreeMap<>()).put(node.id(), Map.of("id", node.id(), "props", props));
            }
            for (GraphRelationship rel : fragment.relationships()) {
                checkIdentifier(rel.type(), "relationship type");
                checkIdentifier(rel.fromLabel(), "label");
                checkIdentifier(rel.toLabel(), "label");
                var group = new RelGroup(rel.type(), rel.fromLabel(), rel.toLabel());
                String key = rel.fromId() + "\u0000" + rel.toId();
                var target = shared.contains(rel.fromId()) || shared.contains(rel.toId()) ? sharedRels : rels;
                target.computeIfAbsent(group, g -> new TreeMap<>())
                    .put(key, Map.of("from", rel.fromId(), "to", rel.toId(), "props", rel.properties()));
            }
        }
        List<Statement> nodeStatements = new ArrayList<>();
        List<Statement> sharedNodeStatements = new ArrayList<>();
        long nodeRows = 0;
        for (var entry : nodes.entrySet()) {
            (entry.getKey().shared() ? sharedNodeStatements : nodeStatements)
                .add(new Statement(entry.getKey().cypher(), List.copyOf(entry.getValue().values())));
            nodeRows += entry.getValue().size();
        }
        List<Statement> relStatements = statements(rels);
        List<Statement> sharedRelStatements = statements(sharedRels);
        long relRows = rels.values().stream().mapToLong(Map::size).sum() + sharedRels.values().stream().mapToLong(Map::size).sum();
        return new WritePlan(List.copyOf(nodeStatements), relStatements, List.copyOf(sharedNodeStatements),
            sharedRelStatements, nodeRows, relRows);
    }

    private static List<Statement> statements(Map<RelGroup, Map<String, Map<String, Object>>> groups) {
        List<Statement> statements = new ArrayList<>();
        groups.forEach((group, rows) -> statements.add(new Statement(group.cypher(), List.copyOf(rows.values()))));
        return List.copyOf(statements);
    }

    private static void checkIdentifier(String name, String what) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + name + "': only letters, digits and '_' are allowed");
        }
    }

    private record NodeGroup(String label, List<String> extraLabels, boolean shared) implements Comparable<NodeGroup> {
        private static final Comparator<NodeGroup> ORDER = Comparator.comparing(NodeGroup::label)
            .thenComparing(g -> String.join(":", g.extraLabels())).thenComparing(NodeGroup::shared);

        String cypher() {
            StringBuilder labels = new StringBuilder();
            extraLabels.forEach(l -> labels.append(':').append(l));
            if (shared) {
                // Shared nodes (packages, external types) are only created, never updated: an update would take a
                // write lock on a node that every writer touches and serialize them all.
                return "UNWIND $rows AS row MERGE (n:" + label + " {id: row.id}) ON CREATE SET n += row.props"
                    + (labels.isEmpty() ? "" : ", n" + labels);
            }
            return "UNWIND $rows AS row MERGE (n:" + label + " {id: row.id}) SET n += row.props"
                + (labels.isEmpty() ? "" : " SET n" + labels);
        }

        @Override
        public int compareTo(NodeGroup other) {
            return ORDER.compare(this, other);
        }
    }

    private record RelGroup(String type, String fromLabel, String toLabel) implements Comparable<RelGroup> {
        private static final Comparator<RelGroup> ORDER = Comparator.comparing(RelGroup::type)
            .thenComparing(RelGroup::fromLabel).thenComparing(RelGroup::toLabel);

        String cypher() {
            return "UNWIND $rows AS row MATCH (a:" + fromLabel + " {id: row.from}) MATCH (b:" + toLabel
                + " {id: row.to}) MERGE (a)-[r:" + type + "]->(b) SET r += row.props";
        }

        @Override
        public int compareTo(RelGroup other) {
            return ORDER.compare(this, other);
        }
    }

    /** Keeps, per file, the fragment with the highest version (the last one when versions tie). */
    /**
     * The fragments in order, cut into batches of about {@code rows} rows each (a file's row, its nodes and its
     * relationships; a fragment is never split), as the writers' batches start.
     */
    public static List<List<GraphFragment>> batches(List<GraphFragment> fragments, int rows) {
        List<List<GraphFragment>> batches = new ArrayList<>();
        List<GraphFragment> current = new ArrayList<>();
        long size = 0;
        for (GraphFragment fragment : fragments) {
            current.add(fragment);
            size += 1 + fragment.nodes().size() + fragment.relationships().size();
            if (size >= rows) {
                batches.add(current);
                current = new ArrayList<>();
                size = 0;
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    static List<GraphFragment> latestPerFile(List<GraphFragment> fragments) {
        Map<String, GraphFragment> latest = new LinkedHashMap<>();
        for (GraphFragment fragment : fragments) {
            latest.merge(fragment.fileId(), fragment, (old, neu) -> neu.version() >= old.version() ? neu : old);
        }
        return List.copyOf(latest.values());
    }
}
