package io.ast2graph.writer;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The graph of a set of fragments as the CSV input of Neo4j's bulk importer ({@code neo4j-admin database import
 * full}): exactly the nodes, labels, properties and relationships that {@link Neo4jGraphWriter} leaves in an empty
 * database when it writes the same fragments, so a first load may go either way.
 *
 * <p>The writer's rules, applied here once over the whole set instead of per transaction:
 * <ul>
 *   <li>per file only the fragment with the highest version counts, and a tombstone leaves nothing of the file;
 *       but shared nodes stay once written, so those of every fragment the writer would have written are kept;</li>
 *   <li>a node is identified by its primary label and {@code id} (the uniqueness constraints); a shared node
 *       (package, external type) keeps what its first fragment said ({@code ON CREATE SET}), a node that two
 *       fragments own takes the union of their labels and the last one's properties ({@code SET n += ...});</li>
 *   <li>the File node of each fragment carries the fragment's {@code builderVersion};</li>
 *   <li>one relationship per (start, type, end) ({@code MERGE}); a relationship whose end is not in the graph is
 *       dropped, as the writer's {@code MATCH} drops it (counted in {@link Input#droppedRelationships()}).</li>
 * </ul>
 * Constraints and indexes are not part of the input: {@link Neo4jGraphWriter#createSchema()} creates them on the
 * imported database, as on any other.
 *
 * <p>Written by hand rather than with a CSV library: the importer's dialect (typed header columns, ID groups,
 * quotes doubled, array delimiter) is all there is to it, and the files are written once.
 */
public final class BulkImportCsv {
    /** Between the elements of an array value (the labels column): a control character no identifier contains. */
    public static final char ARRAY_DELIMITER = '\u001F';
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /**
     * The files written, for {@code --nodes} and {@code --relationships}.
     *
     * @param multilineFields a string value spans lines: the importer must be told ({@code --multiline-fields})
     */
    public record Input(List<Path> nodeFiles, List<Path> relationshipFiles, boolean multilineFields, long nodes,
                        long relationships, long droppedRelationships, List<EmptyList> emptyLists) {}

    /**
     * A property holding an empty list (a module's {@code requires} when it requires nothing, an {@code EXPORTS}
     * edge's {@code to} when it exports to everyone): the importer reads an empty array field as no value, so these
     * are left out of the files and set after the import ({@link Neo4jGraphWriter#setEmptyLists}).
     *
     * @param label    the node's primary label, or for a relationship its start node's
     * @param id       the node's id, or the start node's
     * @param type     the relationship's type; null for a node's property
     * @param toLabel  the relationship's end node's primary label; null for a node's property
     * @param toId     the end node's id; null for a node's property
     */
    public record EmptyList(String label, String id, String type, String toLabel, String toId, String property) {
        static EmptyList ofNode(String label, String id, String property) {
            return new EmptyList(label, id, null, null, null, property);
        }
    }

    private BulkImportCsv() {}

    /** Writes the CSV files of {@code fragments} into {@code folder}, which is created if needed. */
    public static Input write(List<GraphFragment> fragments, Path folder) throws IOException {
        Files.createDirectories(folder);
        Map<NodeKey, NodeEntry> nodes = new LinkedHashMap<>();
        Map<RelKey, Map<String, Object>> rels = new LinkedHashMap<>();
        // The writer creates the shared nodes of every fragment it writes, in the order they come, and never deletes
        // them: also those of a version that a newer one replaced, or of a file deleted since. It skips a fragment
        // older than what it has written for the file.
        Map<String, Long> newest = new HashMap<>();
        for (GraphFragment fragment : fragments) {
            Long seen = newest.get(fragment.fileId());
            if (seen != null && seen > fragment.version()) {
                continue;
            }
            newest.put(fragment.fileId(), fragment.version());
            for (GraphNode node : fragment.nodes()) {
                if (node.shared()) {
                    addNode(nodes, fragment, node);
                }
            }
        }
        // Everything else is what the newest fragment of each file says.
        for (GraphFragment fragment : WritePlan.latestPerFile(fragments)) {
            if (fragment.isTombstone()) {
                continue;
            }
            for (GraphNode node : fragment.nodes()) {
                if (!node.shared()) {
                    addNode(nodes, fragment, node);
                }
            }
            for (GraphRelationship rel : fragment.relationships()) {
                checkIdentifier(rel.type(), "relationship type");
                checkIdentifier(rel.fromLabel(), "label");
                checkIdentifier(rel.toLabel(), "label");
                rels.computeIfAbsent(new RelKey(rel.type(), rel.fromLabel(), rel.fromId(), rel.toLabel(), rel.toId()),
                    k -> new HashMap<>()).putAll(rel.properties());
            }
        }

        // A relationship names its ends by any of their labels (MATCH (a:Label {id: ...})); the importer by ID group,
        // which is the primary label.
        Map<NodeKey, String> groupOf = new HashMap<>();
        for (NodeEntry node : nodes.values()) {
            String id = (String) node.props().get("id");
            for (String extra : node.extraLabels()) {
                groupOf.putIfAbsent(new NodeKey(extra, id), node.label());
            }
        }
        for (NodeEntry node : nodes.values()) {
            groupOf.put(new NodeKey(node.label(), (String) node.props().get("id")), node.label());
        }

        try (var out = new CsvFiles(folder)) {
            return writeFiles(out, nodes, rels, groupOf);
        }
    }

    private static Input writeFiles(CsvFiles out, Map<NodeKey, NodeEntry> nodes, Map<RelKey, Map<String, Object>> rels,
                                    Map<NodeKey, String> groupOf) throws IOException {
        List<EmptyList> emptyLists = new ArrayList<>();
        for (NodeEntry node : nodes.values()) {
            Map<String, Object> props = new TreeMap<>(node.props());
            Object id = props.remove("id");
            props.entrySet().removeIf(property -> {
                if (property.getValue() instanceof List<?> list && list.isEmpty()) {
                    checkIdentifier(property.getKey(), "property name");
                    emptyLists.add(EmptyList.ofNode(node.label(), (String) id, property.getKey()));
                    return true;
                }
                return false;
            });
            List<String> labels = new ArrayList<>();
            labels.add(node.label());
            labels.addAll(node.extraLabels());
            List<String> columns = new ArrayList<>(List.of("id:ID(" + node.label() + ")", ":LABEL"));
            List<Object> values = new ArrayList<>(List.of(id, labels));
            addProperties(props, columns, values);
            out.row("nodes-" + node.label(), columns, values);
        }
        long dropped = 0;
        for (var rel : rels.entrySet()) {
            RelKey key = rel.getKey();
            String fromGroup = groupOf.get(new NodeKey(key.fromLabel(), key.fromId()));
            String toGroup = groupOf.get(new NodeKey(key.toLabel(), key.toId()));
            if (fromGroup == null || toGroup == null) {
                dropped++;
                continue;
            }
            List<String> columns = new ArrayList<>(List.of(":START_ID(" + fromGroup + ")", ":END_ID(" + toGroup + ")", ":TYPE"));
            List<Object> values = new ArrayList<>(List.of(key.fromId(), key.toId(), key.type()));
            Map<String, Object> props = new TreeMap<>(rel.getValue());
            props.entrySet().removeIf(property -> {
                if (property.getValue() instanceof List<?> list && list.isEmpty()) {
                    checkIdentifier(property.getKey(), "property name");
                    emptyLists.add(new EmptyList(fromGroup, key.fromId(), key.type(), toGroup, key.toId(), property.getKey()));
                    return true;
                }
                return false;
            });
            addProperties(props, columns, values);
            out.row("relationships-" + key.type(), columns, values);
        }
        out.flush();
        return new Input(out.files("nodes-"), out.files("relationships-"), out.multiline, nodes.size(),
            rels.size() - dropped, dropped, List.copyOf(emptyLists));
    }

    /** {@code MERGE ... ON CREATE SET} for shared nodes (the first one wins), {@code MERGE ... SET} for the others. */
    private static void addNode(Map<NodeKey, NodeEntry> nodes, GraphFragment fragment, GraphNode node) {
        checkIdentifier(node.label(), "label");
        node.extraLabels().forEach(label -> checkIdentifier(label, "label"));
        Map<String, Object> props = new HashMap<>(node.properties());
        props.put("id", node.id());
        if (node.id().equals(fragment.fileId()) && node.label().equals("File")) {
            props.put("builderVersion", (long) fragment.builderVersion());
        }
        NodeEntry entry = nodes.get(new NodeKey(node.label(), node.id()));
        if (entry == null) {
            nodes.put(new NodeKey(node.label(), node.id()), new NodeEntry(node.label(), new TreeSet<>(node.extraLabels()), props));
        } else if (!node.shared()) {
            entry.extraLabels().addAll(node.extraLabels());
            entry.props().putAll(props);
        }
    }

    private static void addProperties(Map<String, Object> props, List<String> columns, List<Object> values) {
        props.forEach((name, value) -> {
            checkIdentifier(name, "property name");
            columns.add(name + ":" + typeOf(name, value));
            values.add(value);
        });
    }

    private static String typeOf(String name, Object value) {
        return switch (value) {
            case String s -> "string";
            case Boolean b -> "boolean";
            case Long l -> "long";
            case Integer i -> "long";
            case Double d -> "double";
            case List<?> list when !list.isEmpty() && list.stream().allMatch(String.class::isInstance) -> "string[]";
            default -> throw new IllegalArgumentException("property '" + name + "' holds a " + value.getClass().getSimpleName()
                + " (" + value + "); the bulk import takes strings, booleans, longs, doubles and lists of strings");
        };
    }

    private static void checkIdentifier(String name, String what) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + name + "': only letters, digits and '_' are allowed");
        }
    }

    private record NodeKey(String label, String id) {}

    private record NodeEntry(String label, TreeSet<String> extraLabels, Map<String, Object> props) {}

    private record RelKey(String type, String fromLabel, String fromId, String toLabel, String toId) {}

    /**
     * One open file per header: rows of the same kind but with other columns (say, a node without a property the
     * others have) go to a file of their own, since every file has one header.
     */
    private static final class CsvFiles implements AutoCloseable {
        private final Path folder;
        private final Map<String, Path> paths = new LinkedHashMap<>();
        private final Map<String, Writer> writers = new HashMap<>();
        private final Map<String, Integer> perPrefix = new HashMap<>();
        boolean multiline;

        CsvFiles(Path folder) {
            this.folder = folder;
        }

        void row(String prefix, List<String> columns, List<Object> values) throws IOException {
            String header = String.join(",", columns);
            String key = prefix + "\n" + header;
            Writer writer = writers.get(key);
            if (writer == null) {
                int n = perPrefix.merge(prefix, 1, Integer::sum);
                Path path = folder.resolve(prefix + "-" + n + ".csv");
                writer = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), 1 << 16);
                writer.write(header);
                writer.write('\n');
                writers.put(key, writer);
                paths.put(key, path);
            }
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    writer.write(',');
                }
                writeValue(writer, values.get(i));
            }
            writer.write('\n');
        }

        private void writeValue(Writer writer, Object value) throws IOException {
            switch (value) {
                case String s -> quoted(writer, s);
                case List<?> list -> {
                    StringBuilder joined = new StringBuilder();
                    for (Object element : list) {
                        String s = (String) element;
                        if (s.indexOf(ARRAY_DELIMITER) >= 0) {
                            throw new IllegalArgumentException("a list element contains U+001F, the bulk import's array delimiter: " + s);
                        }
                        if (!joined.isEmpty()) {
                            joined.append(ARRAY_DELIMITER);
                        }
                        joined.append(s);
                    }
                    quoted(writer, joined.toString());
                }
                default -> writer.write(String.valueOf(value));
            }
        }

        /** Always quoted, so that an empty string stays an empty string (an empty unquoted field is no value). */
        private void quoted(Writer writer, String s) throws IOException {
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                multiline = true;
            }
            writer.write('"');
            writer.write(s.replace("\"", "\"\""));
            writer.write('"');
        }

        List<Path> files(String prefix) {
            return paths.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
        }

        void flush() throws IOException {
            for (Writer writer : writers.values()) {
                writer.flush();
            }
        }

        @Override
        public void close() throws IOException {
            for (Writer writer : writers.values()) {
                writer.close();
            }
        }
    }
}
