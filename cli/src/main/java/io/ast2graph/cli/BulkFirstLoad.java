package io.ast2graph.cli;

import io.ast2graph.common.json.MalformedMessageException;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.embedded.BulkImporter;
import io.ast2graph.writer.BulkImportCsv;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code scan --bulk}: the embedded default's first scan loaded by Neo4j's bulk importer instead of the writers.
 * Once every file is parsed, the fragments are read back from the fragments topic, written as the importer's CSV
 * ({@link BulkImportCsv}, which settles the type references, calls and overrides in memory: every declaration is
 * known by then) and imported into the data folder's new database before Neo4j starts; the writers, started after
 * it, find every file unchanged, skip it and report it written, so the scan and its manifest complete as any other.
 * The graph is the one the writers leave (the writer benchmark and {@code LinkOrderIT} compare them line by line;
 * docs/benchmarks.md, "Writer", has the times).
 *
 * <p>Every fragment is held in memory until the import: it is for a first scan of a repository the heap holds.
 */
final class BulkFirstLoad {
    private static final Logger log = LoggerFactory.getLogger(BulkFirstLoad.class);
    private static final long IMPORT_MEMORY_BYTES = 1L << 30;

    private BulkFirstLoad() {}

    /** The folder of the data folder's Neo4j, which must not exist yet: the importer writes only a new database. */
    static Path neo4jHome(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("neo4j");
    }

    /**
     * Reads every fragment on the topic, from its beginning to its end as it is now. A record that cannot be read is
     * left to the writers, which dead-letter it.
     */
    static List<GraphFragment> readFragments(KafkaSettings kafka, String topic) {
        List<GraphFragment> fragments = new ArrayList<>();
        try (var consumer = KafkaClients.reader(kafka, "ast2graph-bulk-" + ProcessHandle.current().pid())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        fragments.add(FragmentRecords.decode(record));
                    } catch (MalformedMessageException e) {
                        log.warn("bulk load: a fragment record cannot be read ({}); the writers dead-letter it", e.getMessage());
                    }
                }
            }
        }
        return fragments;
    }

    /**
     * Imports the fragments into a new database under {@code neo4jHome}; the database must not run. A failed import
     * leaves no database behind (a scan without {@code --bulk} can then start afresh).
     *
     * @return the empty-list properties to set once the database runs
     */
    static List<BulkImportCsv.LateList> importInto(Path neo4jHome, List<GraphFragment> fragments, int threads) {
        Path csv = neo4jHome.resolveSibling("bulk-csv");
        try {
            BulkImportCsv.Input input = BulkImportCsv.write(fragments, csv);
            String report = BulkImporter.importInto(neo4jHome, new BulkImporter.Request(input.nodeFiles(),
                input.relationshipFiles(), BulkImportCsv.ARRAY_DELIMITER, input.multilineFields(), threads,
                IMPORT_MEMORY_BYTES));
            log.debug("bulk import report: {}", report);
            log.info("bulk import: {} nodes, {} relationships", input.nodes(), input.relationships());
            return input.lateLists();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(neo4jHome);
            throw new IllegalStateException("the bulk import failed (its partial database was removed; scan again, "
                + "without --bulk to go through the writers): " + e.getMessage(), e);
        } finally {
            deleteQuietly(csv);
        }
    }

    /** Creates the schema and sets the late lists (what the files cannot carry), on the imported database once it runs. */
    static void finish(Neo4jSettings neo4j, List<BulkImportCsv.LateList> lateLists) {
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(60)), neo4j.database())) {
            long start = System.nanoTime();
            writer.createSchema();
            long schema = System.nanoTime();
            writer.setLateLists(lateLists);
            log.info("bulk import: schema in {} ms, {} list properties the files cannot carry set in {} ms",
                (schema - start) / 1_000_000, lateLists.size(), (System.nanoTime() - schema) / 1_000_000);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot remove {}: {}", folder, e.toString());
        }
    }
}
