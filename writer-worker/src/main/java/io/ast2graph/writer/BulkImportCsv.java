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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The graph of a set of fragments as the CSV input of Neo4j's bulk importer ({@code neo4j-admin database import
 * full}): exactly the nodes, labels, properties and relationships that {@link Neo4jGraphWriter} leaves in an empty
 * database when it writes the same fragments, so a first load may go either way. The link step's part (type
 * references, calls across files, overrides, and the external placeholders they point at) is settled here, in
 * memory ({@link ImportedLinks}), since every declaration is known before anything is written.
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
 * <p>Written by hand rather than with a CSV library: the importer's dialect (typed header columns, numbered nodes,
 * quotes doubled, array delimiter) is all there is to it, and the files are written once.
 */
public final class BulkImportCsv {
    /** Between the elements of an array value (the labels column): a control character no identifier contains. */
    public static final char ARRAY_DELIMITER = '\u001F';

    /**
     * The files written, for {@code --nodes} and {@code --relationships}.
     *
     * @param multilineFields a string value spans lines: the importer must be told ({@code --multiline-fields})
     * @param lateLists       the kinds of list values carried as marks, to set once the database runs
     * @param lateValues      how many values the marks stand for
     * @param linkNanos       how long settling the references, calls and overrides in memory took, of the whole write
     */
    public record Input(List<Path> nodeFiles, List<Path> relationshipFiles, boolean multilineFields, long nodes,
                        long relationships, long droppedRelationships, List<LateList> lateLists, long lateValues,
                        long linkNanos) {
        /**
         * The importer's {@code --id-type} for these files: {@code actual}. Every node is numbered in the files, from
         * 0, and the relationships name their ends by these numbers, so the importer has no IDs to map (with the
         * nodes' string IDs it took a quarter of the import: encoding, sorting and checking them for duplicates).
         */
        public String idType() {
            return "actual";
        }
    }

    /**
     * A kind of list value the importer's files cannot carry: an empty list (a module's {@code requires} when it
     * requires nothing, an {@code EXPORTS} edge's {@code to} when it exports to everyone), or a list of one empty
     * string (a call's {@code args} when the one argument's type is unknown). The importer reads an empty array field
     * as no value, so the files carry a {@linkplain #mark() mark} in its place, a list of one string that no fragment
     * holds (U+001E is in no Java name), and {@link Neo4jGraphWriter#setLateLists} replaces the marks after the import:
     * one scan of the label or relationship type per kind, however many values it has (46,889 calls' {@code args} on
     * {@code java.base}; matching each relationship by its ends and properties took 10.9 s).
     *
     * @param label    the nodes' primary label; null for a relationship type's property
     * @param type     the relationship type; null for a node label's property
     * @param property the property
     * @param value    the list: empty, or one empty string
     */
    public record LateList(String label, String type, String property, List<String> value) {
        private static final String EMPTY_MARK = "\u001E[]";
        private static final String ONE_EMPTY_MARK = "\u001E[\"\"]";

        public LateList {
            if (!needed(value)) {
                throw new IllegalArgumentException("the files carry " + value + " as it is");
            }
            value = List.copyOf(value);
        }

        /** The one element of the list the files carry in place of the value. */
        public String mark() {
            return value.isEmpty() ? EMPTY_MARK : ONE_EMPTY_MARK;
        }

        /** Whether the files cannot carry this value: an empty list, or one empty string (an empty field too). */
        static boolean needed(Object value) {
            return value instanceof List<?> list && (list.isEmpty() || list.size() == 1 && "".equals(list.getFirst()));
        }

        /** Whether the files would read this value as a mark: one that the marks cannot stand in for. */
        static boolean isMark(Object value) {
            return value instanceof List<?> list && list.size() == 1
                && (EMPTY_MARK.equals(list.getFirst()) || ONE_EMPTY_MARK.equals(list.getFirst()));
        }
    }

    private BulkImportCsv() {}

    /**
     * Writes the CSV files of {@code fragments} into {@code folder}, which is created if needed. The link step runs
     * on a thread of its own meanwhile: what the fragments hold is written while it settles their references and
     * calls, and only its own nodes and edges wait for it (it held the whole write up for half its time).
     */
    public static Input write(List<GraphFragment> fragments, Path folder) throws IOException {
        Files.createDirectories(folder);
        // Everything but the shared nodes is what the newest fragment of each file says.
        List<GraphFragment> latest = WritePlan.latestPerFile(fragments).stream().filter(f -> !f.isTombstone()).toList();
        // The link step's part, settled in memory: placeholders shared like the parser's nodes, and edges merged as the
        // writer merges them: a reference by its candidates too, a call by its owners, arity and argument types, so
        // that two of a node's references (or calls) that settle to the same node stay two edges.
        var linking = new FutureTask<>(() -> {
            long start = System.nanoTime();
            ImportedLinks.Links links = ImportedLinks.of(latest);
            return new TimedLinks(links, System.nanoTime() - start);
        });
        Thread.ofPlatform().name("bulk-link").daemon().start(linking);
        try (var out = new CsvFiles(folder)) {
            return writeAll(out, fragments, latest, linking);
        } finally {
            linking.cancel(true); // a no-op once done; else the write failed and the link step's work is moot
        }
    }

    private record TimedLinks(ImportedLinks.Links links, long nanos) {}

    private static Input writeAll(CsvFiles out, List<GraphFragment> fragments, List<GraphFragment> latest,
                                  FutureTask<TimedLinks> linking) throws IOException {
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
        for (GraphFragment fragment : latest) {
            for (GraphNode node : fragment.nodes()) {
                if (!node.shared()) {
                    addNode(nodes, fragment, node);
                }
            }
            for (GraphRelationship rel : fragment.relationships()) {
                checkIdentifier(rel.type(), "relationship type");
                checkIdentifier(rel.fromLabel(), "label");
                checkIdentifier(rel.toLabel(), "label");
                rels.computeIfAbsent(new RelKey(rel.type(), rel.fromLabel(), rel.fromId(), rel.toLabel(), rel.toId(), null),
                    k -> new HashMap<>()).putAll(rel.properties());
            }
        }
        // A relationship names its ends by any of their labels (MATCH (a:Label {id: ...})); the importer by the number
        // of the node's row.
        Map<NodeKey, Long> numberOf = new HashMap<>();
        Rows rows = new Rows(out);
        for (NodeEntry node : nodes.values()) {
            addNumbers(numberOf, node);
            rows.node(node);
        }
        // The fragments' relationships whose ends are known now. The link step adds only shared nodes of the labels
        // Type and Method, which no fragment gives as an extra label: a shared node already here keeps what it says
        // (the first one wins), a new one only adds ends, so an end known now stays the same node. The others wait.
        List<Map.Entry<RelKey, Map<String, Object>>> waiting = new ArrayList<>();
        for (var rel : rels.entrySet()) {
            if (!rows.relationship(numberOf, rel.getKey(), rel.getValue())) {
                waiting.add(rel);
            }
        }
        TimedLinks linked = linked(linking);
        for (GraphNode node : linked.links().nodes()) {
            NodeEntry added = addNode(nodes, null, node);
            if (added != null) {
                if (numberOf.containsKey(new NodeKey(added.label(), node.id()))) {
                    // The rule above broken: a relationship written already may have gone to the other node.
                    throw new IllegalStateException("the link step's " + added.label() + " " + node.id()
                        + " is also a fragment node's extra label and id");
                }
                addNumbers(numberOf, added);
                rows.node(added);
            }
        }
        for (var rel : waiting) {
            if (!rows.relationship(numberOf, rel.getKey(), rel.getValue())) {
                rows.dropped++;
            }
        }
        for (GraphRelationship rel : linked.links().edges()) {
            checkIdentifier(rel.type(), "relationship type");
            checkIdentifier(rel.fromLabel(), "label");
            RelKey key = new RelKey(rel.type(), rel.fromLabel(), rel.fromId(), rel.toLabel(), rel.toId(), mergedBy(rel));
            Map<String, Object> before = rels.put(key, rel.properties());
            if (before != null) {
                // Its row is written. The link step's edges go to its own placeholders or are merged by more than their
                // ends, so none is one of the fragments' own; should one be, it must say the same.
                if (!before.equals(rel.properties())) {
                    throw new IllegalStateException("the link step's edge " + key + " says " + rel.properties()
                        + ", and the fragments' " + before);
                }
                continue;
            }
            if (!rows.relationship(numberOf, key, rel.properties())) {
                rows.dropped++;
            }
        }
        out.flush();
        return new Input(out.files("nodes-"), out.files("relationships-"), out.multiline, nodes.size(),
            rels.size() - rows.dropped, rows.dropped, List.copyOf(rows.lateLists), rows.lateValues, linked.nanos());
    }

    private static TimedLinks linked(FutureTask<TimedLinks> linking) {
        try {
            return linking.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the link step ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the link step failed", e.getCause());
        }
    }

    private static void addNumbers(Map<NodeKey, Long> numberOf, NodeEntry node) {
        String id = (String) node.props().get("id");
        for (String extra : node.extraLabels()) {
            numberOf.putIfAbsent(new NodeKey(extra, id), node.number());
        }
        numberOf.put(new NodeKey(node.label(), id), node.number());
    }

    /** The rows as they are written, and the late lists their values left. */
    private static final class Rows {
        private final CsvFiles out;
        final Set<LateList> lateLists = new LinkedHashSet<>();
        long lateValues;
        long dropped;

        Rows(CsvFiles out) {
            this.out = out;
        }

        void node(NodeEntry node) throws IOException {
            Map<String, Object> props = new TreeMap<>(node.props());
            lateValues += markLateLists(props, lateLists, node.label(), null);
            List<String> labels = new ArrayList<>();
            labels.add(node.label());
            labels.addAll(node.extraLabels());
            List<String> columns = new ArrayList<>(List.of(":ID", ":LABEL"));
            List<Object> values = new ArrayList<>(List.of(node.number(), labels));
            addProperties(props, columns, values);
            out.row("nodes-" + node.label(), columns, values);
        }

        /** Writes the relationship if both its ends are known; returns whether they were. */
        boolean relationship(Map<NodeKey, Long> numberOf, RelKey key, Map<String, Object> properties) throws IOException {
            Long from = numberOf.get(new NodeKey(key.fromLabel(), key.fromId()));
            Long to = numberOf.get(new NodeKey(key.toLabel(), key.toId()));
            if (from == null || to == null) {
                return false;
            }
            List<String> columns = new ArrayList<>(List.of(":START_ID", ":END_ID", ":TYPE"));
            List<Object> values = new ArrayList<>(List.of(from, to, key.type()));
            Map<String, Object> props = new TreeMap<>(properties);
            lateValues += markLateLists(props, lateLists, null, key.type());
            addProperties(props, columns, values);
            out.row("relationships-" + key.type(), columns, values);
            return true;
        }
    }

    /** Puts the marks in place of the values the files cannot carry; returns how many there were. */
    private static int markLateLists(Map<String, Object> props, Set<LateList> lateLists, String label, String type) {
        int marked = 0;
        for (var property : props.entrySet()) {
            Object value = property.getValue();
            if (LateList.isMark(value)) {
                throw new IllegalArgumentException("property '" + property.getKey() + "' holds " + value
                    + ", which the bulk import uses as a mark");
            }
            if (LateList.needed(value)) {
                checkIdentifier(property.getKey(), "property name");
                LateList late = new LateList(label, type, property.getKey(), strings(value));
                lateLists.add(late);
                property.setValue(List.of(late.mark()));
                marked++;
            }
        }
        return marked;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String.class::cast).toList();
    }

    /** What the link step's MERGE of the relationship names besides its ends, or null for a plain relationship. */
    private static Object mergedBy(GraphRelationship rel) {
        Map<String, Object> props = rel.properties();
        if (props.containsKey("candidates")) {
            return props.get("candidates");
        }
        if (props.containsKey("owners")) {
            return List.of(props.get("owners"), props.get("arity"), props.get("args"));
        }
        return null;
    }

    /**
     * {@code MERGE ... ON CREATE SET} for shared nodes (the first one wins), {@code MERGE ... SET} for the others.
     *
     * @return the new entry, or null if the node was there already
     */
    private static NodeEntry addNode(Map<NodeKey, NodeEntry> nodes, GraphFragment fragment, GraphNode node) {
        checkIdentifier(node.label(), "label");
        node.extraLabels().forEach(label -> checkIdentifier(label, "label"));
        Map<String, Object> props = new HashMap<>(node.properties());
        props.put("id", node.id());
        if (fragment != null && node.id().equals(fragment.fileId()) && node.label().equals("File")) {
            props.put("builderVersion", (long) fragment.builderVersion());
        }
        NodeKey key = new NodeKey(node.label(), node.id());
        NodeEntry entry = nodes.get(key);
        if (entry == null) {
            NodeEntry added = new NodeEntry(nodes.size(), node.label(), new TreeSet<>(node.extraLabels()), props);
            nodes.put(key, added);
            return added;
        }
        if (!node.shared()) {
            entry.extraLabels().addAll(node.extraLabels());
            entry.props().putAll(props);
        }
        return null;
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

    /** {@code [A-Za-z][A-Za-z0-9_]*}, checked by hand: a regular expression per property of every row was a tenth of the write. */
    private static void checkIdentifier(String name, String what) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("invalid " + what + " '" + name + "': only letters, digits and '_' are allowed");
        }
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || !isAsciiLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private record NodeKey(String label, String id) {}

    /** @param number the node's number in the files, in the order the nodes were added: its id in the new store */
    private record NodeEntry(long number, String label, TreeSet<String> extraLabels, Map<String, Object> props) {}

    /** @param mergedBy what the link step merges the edge by besides its ends ({@link #mergedBy}), else null */
    private record RelKey(String type, String fromLabel, String fromId, String toLabel, String toId, Object mergedBy) {}

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
                    for (int i = 0; i < list.size(); i++) {
                        String s = (String) list.get(i);
                        if (s.indexOf(ARRAY_DELIMITER) >= 0) {
                            throw new IllegalArgumentException("a list element contains U+001F, the bulk import's array delimiter: " + s);
                        }
                        if (i > 0) {
                            joined.append(ARRAY_DELIMITER); // an element may be empty: ["", "int"] is "\u001Fint"
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
            writer.write(s.indexOf('"') < 0 ? s : s.replace("\"", "\"\""));
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
