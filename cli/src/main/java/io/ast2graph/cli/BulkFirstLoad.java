package io.ast2graph.cli;

import io.ast2graph.common.json.MalformedMessageException;
import io.ast2graph.common.json.StringPool;
import io.ast2graph.common.kafka.DownstreamUnavailableException;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.embedded.BulkImporter;
import io.ast2graph.writer.BulkImportCsv;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code scan --bulk}: the embedded default's first scan loaded by Neo4j's bulk importer instead of the writers.
 * Once every file is parsed, the fragments are read back from the fragments topic, written as the importer's CSV
 * ({@link BulkImportCsv}, which settles the type references, calls and overrides in memory: every declaration is
 * known by then) and imported into the data folder's new database before Neo4j starts. The load then reports the
 * files written and commits the writers' offsets past them, as the writers do after a batch; the writers, started
 * after it, handle only what the load left (a record it could not read), so the scan and its manifest complete as
 * any other.
 * The graph is the one the writers leave (the writer benchmark and {@code LinkOrderIT} compare them line by line;
 * docs/benchmarks.md, "Writer", has the times).
 *
 * <p>Every fragment is held in memory until the import: it is for a first scan of a repository the heap holds.
 */
final class BulkFirstLoad {
    private static final Logger log = LoggerFactory.getLogger(BulkFirstLoad.class);
    private static final long IMPORT_MEMORY_BYTES = 1L << 30;
    /** The worker named in the written events of imported files. */
    static final String WORKER = "bulk-import";

    private BulkFirstLoad() {}

    /** The folder of the data folder's Neo4j, which must not exist yet: the importer writes only a new database. */
    static Path neo4jHome(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("neo4j");
    }

    /**
     * The fragments read back, and where the writers are to go on in each partition: its end as it was read, or the
     * first record that could not be read, which the writers dead-letter.
     */
    record Read(List<GraphFragment> fragments, Map<TopicPartition, Long> writersResumeAt, long bytes) {}

    /** A record read back: its fragment, or why it cannot be read. */
    private record Decoded(ConsumerRecord<String, byte[]> record, GraphFragment fragment, MalformedMessageException error) {
        static Decoded of(ConsumerRecord<String, byte[]> record, StringPool strings) {
            try {
                return new Decoded(record, FragmentRecords.decode(record, strings), null);
            } catch (MalformedMessageException e) {
                return new Decoded(record, null, e);
            }
        }
    }

    /** The import did not complete; its partial database is gone, so the writers can write a new one. */
    static final class ImportFailedException extends Exception {
        ImportFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads every fragment on the topic, from its beginning to its end as it is now. A record that cannot be read is
     * left to the writers.
     *
     * @param maxBytes the most serialized fragment bytes to hold: the load's guard against filling the heap
     * @return the fragments, or empty if they exceed {@code maxBytes}
     */
    static Optional<Read> readFragments(KafkaSettings kafka, String topic, long maxBytes) {
        List<GraphFragment> fragments = new ArrayList<>();
        Map<TopicPartition, Long> resumeAt = new HashMap<>();
        long bytes = 0;
        // Every fragment is held until the import: their strings once each (a third less heap on java.base).
        StringPool strings = new StringPool();
        try (var consumer = KafkaClients.reader(kafka, "ast2graph-bulk-" + ProcessHandle.current().pid())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            resumeAt.putAll(end);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // the writers' part: published after the end was read
                    }
                    bytes += Math.max(0, record.serializedValueSize());
                    if (bytes > maxBytes) {
                        return Optional.empty();
                    }
                    batch.add(record);
                }
                // Decoded on every core, in the records' order: one thread took 2 to 5 s over java.base's 197 MiB.
                List<Decoded> decoded = batch.parallelStream().map(r -> Decoded.of(r, strings)).toList();
                for (Decoded d : decoded) {
                    if (d.fragment() != null) {
                        fragments.add(d.fragment());
                    } else {
                        log.warn("bulk load: a fragment record cannot be read ({}); the writers dead-letter it",
                            d.error().getMessage());
                        resumeAt.merge(new TopicPartition(d.record().topic(), d.record().partition()),
                            d.record().offset(), Math::min);
                    }
                }
            }
        }
        log.debug("bulk load: {} fragments read back, {} distinct strings", fragments.size(), strings.size());
        return Optional.of(new Read(fragments, resumeAt, bytes));
    }

    /**
     * Does for the imported fragments what the writers do once they commit a batch: reports each file written on the
     * events topic, then commits the writers' group's offsets past them, so the writers started after the import go on
     * from there instead of reading every fragment again to find it unchanged. The group must have no members yet.
     * If the offsets cannot be committed the writers read the fragments again, which changes nothing in the graph.
     *
     * @param producer   the scan's own, for the events
     * @param busyMicros the load's time, shared out evenly over the files in their events (the scan report's busy time)
     */
    static void reportWritten(KafkaSettings kafka, Producer<String, byte[]> producer, String eventsTopic,
                              String writerGroup, Read read, long busyMicros, Clock clock)
        throws DownstreamUnavailableException {
        List<GraphFragment> fragments = read.fragments();
        long share = busyMicros / Math.max(1, fragments.size());
        var events = new ScanEvents(producer, eventsTopic);
        long now = clock.millis();
        for (GraphFragment fragment : fragments) {
            events.send(ScanEvent.written(fragment, WORKER, now, share));
        }
        events.awaitSent();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        read.writersResumeAt().forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try (Admin admin = Admin.create(kafka.base())) {
            admin.alterConsumerGroupOffsets(writerGroup, offsets).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("bulk load: the writers' offsets could not be committed past the imported fragments ({}); the "
                + "writers read them again and find them written", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException("interrupted while committing the writers' offsets", e);
        }
    }

    /**
     * Imports the fragments into a new database under {@code neo4jHome}; the database must not run. A failed import
     * leaves no database behind (a scan without {@code --bulk} can then start afresh).
     *
     * @return what was imported, with the list values to set once the database runs
     */
    static BulkImportCsv.Input importInto(Path neo4jHome, List<GraphFragment> fragments, int threads)
        throws ImportFailedException {
        Path csv = neo4jHome.resolveSibling("bulk-csv");
        try {
            BulkImportCsv.Input input = BulkImportCsv.write(fragments, csv);
            String report = BulkImporter.importInto(neo4jHome, new BulkImporter.Request(input.nodeFiles(),
                input.relationshipFiles(), BulkImportCsv.ARRAY_DELIMITER, input.idType(), input.multilineFields(), threads,
                IMPORT_MEMORY_BYTES));
            log.debug("bulk import report: {}", report);
            log.info("bulk import: {} nodes, {} relationships", input.nodes(), input.relationships());
            return input;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(neo4jHome);
            throw new ImportFailedException("the bulk import failed (its partial database was removed): " + e.getMessage(), e);
        } finally {
            deleteQuietly(csv);
        }
    }

    /** Creates the schema and sets the late lists (what the files cannot carry), on the imported database once it runs. */
    static void finish(Neo4jSettings neo4j, BulkImportCsv.Input input) {
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(60)), neo4j.database())) {
            long start = System.nanoTime();
            writer.createSchema();
            long schema = System.nanoTime();
            long set = writer.setLateLists(input.lateLists());
            log.info("bulk import: schema in {} ms, {} list values the files cannot carry ({} kinds) set in {} ms",
                (schema - start) / 1_000_000, set, input.lateLists().size(), (System.nanoTime() - schema) / 1_000_000);
            if (set != input.lateValues()) {
                throw new IllegalStateException("the bulk import marked " + input.lateValues()
                    + " list values to set after it, but " + set + " were set");
            }
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
