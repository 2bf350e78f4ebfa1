package io.ast2graph.writer;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Value;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A canonical, order-independent fingerprint of a whole graph: every node (labels and properties) and every
 * relationship (type, end node ids, properties). Two graphs with equal fingerprints hold the same nodes,
 * relationships and properties, however they were written. Streams the graph, so it fits large graphs: each
 * element's canonical line is hashed and the hashes are summed (a multiset hash: a duplicate changes the sum).
 */
public final class GraphFingerprint {
    /** Bookkeeping properties that say when something was written, not what the code is. */
    public static final Set<String> BOOKKEEPING = Set.of("version");

    public record Fingerprint(long nodes, long relationships, String hash) {}

    private GraphFingerprint() {}

    public static Fingerprint of(Driver driver, String database, Set<String> ignoredProperties) {
        long[] counts = new long[2];
        long[] sum = new long[1];
        visit(driver, database, ignoredProperties, (line, isNode) -> {
            counts[isNode ? 0 : 1]++;
            sum[0] += hash64(line);
        });
        return new Fingerprint(counts[0], counts[1], Long.toHexString(sum[0]));
    }

    /** The sorted canonical lines of a (small) graph, for showing differences in a failed test. */
    public static List<String> lines(Driver driver, String database, Set<String> ignoredProperties) {
        List<String> lines = new ArrayList<>();
        visit(driver, database, ignoredProperties, (line, isNode) -> lines.add(line));
        lines.sort(null);
        return lines;
    }

    private interface LineSink {
        void accept(String line, boolean isNode);
    }

    private static void visit(Driver driver, String database, Set<String> ignored, LineSink sink) {
        SessionConfig config = database.isEmpty() ? SessionConfig.defaultConfig() : SessionConfig.forDatabase(database);
        try (var session = driver.session(config)) {
            session.executeRead(tx -> {
                tx.run("MATCH (n) WHERE NOT n:LinkLock RETURN labels(n) AS labels, properties(n) AS props").forEachRemaining(r ->
                    sink.accept("N " + String.join(":", r.get("labels").asList(Value::asString).stream().sorted().toList())
                        + " " + canonical(r.get("props").asMap(Value::asObject), ignored), true));
                tx.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props")
                    .forEachRemaining((Consumer<Record>) r -> sink.accept("R " + r.get("a").asString("?") + " -"
                        + r.get("t").asString() + "-> " + r.get("b").asString("?") + " "
                        + canonical(r.get("props").asMap(Value::asObject), ignored), false));
                return null;
            });
        }
    }

    private static String canonical(Map<String, Object> props, Set<String> ignored) {
        var sorted = new TreeMap<String, Object>(props);
        sorted.keySet().removeAll(ignored);
        return sorted.toString();
    }

    private static long hash64(String line) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
