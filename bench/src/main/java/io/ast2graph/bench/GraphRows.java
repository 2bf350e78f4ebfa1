package io.ast2graph.bench;

import io.ast2graph.writer.Neo4jGraphWriter;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole graph read back into memory as {@code UNWIND … MERGE} statements and their rows: the graph the writer
 * workers left, link step included (reference edges, calls, overrides, placeholders), so that a raw loader can write
 * the same rows the writers wrote, from memory.
 *
 * <p>Nodes are merged on their id under their identifying label, and get their other labels; a relationship is merged
 * between its ends, and where one node has several relationships of one type to the same node (two references of
 * one field to one type, settled alike) each gets a key of its own so that none collapses into another.
 */
final class GraphRows {
    /** One statement and its rows, sorted by id (nodes) or ends (relationships), as the writer sorts them. */
    record Statement(String cypher, List<Map<String, Object>> rows) {}

    final List<Statement> nodes;
    final List<Statement> relationships;
    final long nodeCount;
    final long relationshipCount;

    private GraphRows(List<Statement> nodes, List<Statement> relationships, long nodeCount, long relationshipCount) {
        this.nodes = nodes;
        this.relationships = relationships;
        this.nodeCount = nodeCount;
        this.relationshipCount = relationshipCount;
    }

    long rows() {
        return nodeCount + relationshipCount;
    }

    static GraphRows read(Driver driver) {
        Map<String, Map<String, Map<String, Object>>> nodeGroups = new TreeMap<>();
        Map<String, String> primaryOf = new HashMap<>();
        Map<String, Map<String, Map<String, Object>>> relGroups = new TreeMap<>();
        try (var session = driver.session()) {
            session.executeRead(tx -> {
                tx.run("MATCH (n) WHERE NOT n:LinkLock RETURN labels(n) AS labels, properties(n) AS props")
                    .forEachRemaining(r -> {
                        List<String> labels = r.get("labels").asList(Value::asString);
                        String primary = Neo4jGraphWriter.IDENTIFIED_LABELS.stream().filter(labels::contains).findFirst()
                            .orElseThrow(() -> new IllegalStateException("a node without an identifying label: " + labels));
                        List<String> extra = labels.stream().filter(l -> !l.equals(primary)).sorted().toList();
                        Map<String, Object> props = r.get("props").asMap(Value::asObject);
                        String id = (String) props.get("id");
                        primaryOf.put(id, primary);
                        StringBuilder cypher = new StringBuilder("UNWIND $rows AS row MERGE (n:" + primary
                            + " {id: row.id}) SET n += row.props");
                        extra.forEach(l -> cypher.append(", n:").append(l));
                        nodeGroups.computeIfAbsent(cypher.toString(), c -> new TreeMap<>())
                            .put(id, Map.of("id", id, "props", props));
                    });
                List<org.neo4j.driver.Record> rels = tx.run("MATCH (a)-[r]->(b) WHERE NOT a:LinkLock"
                    + " RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props").list();
                Map<String, Integer> parallel = new HashMap<>();
                rels.forEach(r -> parallel.merge(r.get("a").asString() + "\u0000" + r.get("type").asString() + "\u0000"
                    + r.get("b").asString(), 1, Integer::sum));
                Map<String, Integer> seen = new HashMap<>();
                for (var r : rels) {
                    String from = r.get("a").asString();
                    String to = r.get("b").asString();
                    String type = r.get("type").asString();
                    String ends = from + "\u0000" + type + "\u0000" + to;
                    // One of several relationships of one type between the same two nodes: merged on a key of its own.
                    boolean keyed = parallel.get(ends) > 1;
                    int index = seen.merge(ends, 1, Integer::sum) - 1;
                    String cypher = "UNWIND $rows AS row MATCH (a:" + primaryOf.get(from) + " {id: row.from}) MATCH (b:"
                        + primaryOf.get(to) + " {id: row.to}) MERGE (a)-[r:" + type
                        + (keyed ? " {rawKey: row.key}]" : "]") + "->(b) SET r += row.props";
                    relGroups.computeIfAbsent(cypher, c -> new TreeMap<>()).put(ends + "\u0000" + index,
                        Map.of("from", from, "to", to, "key", index, "props", r.get("props").asMap(Value::asObject)));
                }
                return null;
            });
        }
        long nodeCount = nodeGroups.values().stream().mapToLong(Map::size).sum();
        long relCount = relGroups.values().stream().mapToLong(Map::size).sum();
        return new GraphRows(statements(nodeGroups), statements(relGroups), nodeCount, relCount);
    }

    private static List<Statement> statements(Map<String, Map<String, Map<String, Object>>> groups) {
        List<Statement> statements = new ArrayList<>();
        groups.forEach((cypher, rows) -> statements.add(new Statement(cypher, List.copyOf(rows.values()))));
        return statements;
    }

    /** The statements cut into batches of about {@code batchRows} rows: one transaction each. */
    static List<List<Statement>> batches(List<Statement> statements, int batchRows) {
        List<List<Statement>> batches = new ArrayList<>();
        List<Statement> current = new ArrayList<>();
        int rows = 0;
        for (Statement statement : statements) {
            for (int from = 0; from < statement.rows().size(); ) {
                int take = Math.min(batchRows - rows, statement.rows().size() - from);
                current.add(new Statement(statement.cypher(), statement.rows().subList(from, from + take)));
                rows += take;
                from += take;
                if (rows >= batchRows) {
                    batches.add(current);
                    current = new ArrayList<>();
                    rows = 0;
                }
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
