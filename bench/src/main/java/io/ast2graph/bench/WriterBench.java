package io.ast2graph.bench;

import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.GroupLag;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.embedded.EmbeddedKafka;
import io.ast2graph.embedded.EmbeddedNeo4j;
import io.ast2graph.embedded.BulkImporter;
import io.ast2graph.writer.BulkImportCsv;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WritePlan;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.neo4j.driver.Driver;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The writer against this machine's write limit, in one run: a raw loader runs the same {@code UNWIND … MERGE}
 * statements from memory into an empty database, then the writer workers consume the same fragments from Kafka
 * into another empty database, then the fragments are replayed into that graph (an idempotent rewrite), then
 * Neo4j's bulk importer loads the same fragments into a third empty database, whose graph must equal the writers'.
 */
final class WriterBench {
    record Result(String phase, long rows, long nanos) {
        double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }
    }

    private final Path work;
    private final long pageCacheBytes;
    private final int threads;
    private final int batchRows;

    WriterBench(Path work, long pageCacheBytes, int threads, int batchRows) {
        this.work = work;
        this.pageCacheBytes = pageCacheBytes;
        this.threads = threads;
        this.batchRows = batchRows;
    }

    /** Same statements, same batch size, same threads; nothing else. */
    Result rawLoader(List<GraphFragment> fragments) throws Exception {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(work.resolve("neo4j-raw"), 0, pageCacheBytes);
             var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(neo4j.boltUri()),
                 Duration.ofSeconds(60)), "")) {
            writer.createSchema();
            List<List<GraphFragment>> batches = WritePlan.batches(fragments, batchRows);
            Driver driver = writer.driver();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (List<GraphFragment> batch : batches) {
                    futures.add(pool.submit(() -> {
                        WritePlan plan = WritePlan.of(batch);
                        try (var session = driver.session()) {
                            session.executeWriteWithoutResult(tx -> {
                                for (WritePlan.Statement s : plan.statements()) {
                                    tx.run(s.cypher(), Map.of("rows", s.rows())).consume();
                                }
                            });
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            return new Result("raw UNWIND MERGE loader", Fragments.rows(fragments), System.nanoTime() - start);
        }
    }

    /**
     * The writers' graph written by a raw loader from memory: the same statements shape ({@code UNWIND … MERGE}, rows
     * sorted), batch size and threads, into an empty database; all nodes first, then all relationships. These are
     * the rows the writers wrote, link step included, so this is the write limit the writers are held to.
     */
    Result rawGraphLoader(GraphRows graph) throws Exception {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(work.resolve("neo4j-raw-graph"), 0, pageCacheBytes);
             var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(neo4j.boltUri()),
                 Duration.ofSeconds(60)), "")) {
            writer.createSchema();
            Driver driver = writer.driver();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            try {
                for (List<GraphRows.Statement> statements : List.of(graph.nodes, graph.relationships)) {
                    List<Future<?>> futures = new ArrayList<>();
                    for (List<GraphRows.Statement> batch : GraphRows.batches(statements, batchRows)) {
                        futures.add(pool.submit(() -> {
                            try (var session = driver.session()) {
                                session.executeWriteWithoutResult(tx -> batch.forEach(s ->
                                    tx.run(s.cypher(), Map.of("rows", s.rows())).consume()));
                            }
                        }));
                    }
                    for (Future<?> f : futures) {
                        f.get();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            long nanos = System.nanoTime() - start;
            var loaded = GraphFingerprint.of(driver, "", Set.of());
            if (loaded.nodes() != graph.nodeCount || loaded.relationships() != graph.relationshipCount) {
                throw new IllegalStateException(String.format("the raw loader wrote %,d nodes and %,d relationships of %,d and %,d",
                    loaded.nodes(), loaded.relationships(), graph.nodeCount, graph.relationshipCount));
            }
            return new Result("raw loader, the writers' graph", graph.rows(), nanos);
        }
    }

    /** What the writer workers measured, the graph they left, and that graph's rows for {@link #rawGraphLoader}. */
    record WriterRun(List<Result> results, GraphFingerprint.Fingerprint graph, GraphFingerprint.Fingerprint afterReplay,
                     GraphRows rows) {}

    /** The writer workers, consuming the fragments topic; then the same fragments once more (a replay). */
    WriterRun writerWorkers(List<GraphFragment> fragments) throws Exception {
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(work.resolve("neo4j-writer"), 0, pageCacheBytes);
             EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, 12)) {
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            Topics topics = Topics.withPrefix("bench");
            try (Admin admin = Admin.create(settings.base())) {
                TopicSetup.ensureTopics(admin, topics, 12, (short) 1);
                // Leaders of a topic created a moment ago may not answer yet: a first produce then fails with
                // NOT_LEADER_OR_FOLLOWER and (seen here under load) its retry is refused as out of sequence until the
                // delivery timeout drops the batch. Listing every partition's end offset returns once each leader does.
                GroupLag.endOffsets(admin, topics.fragments());
            }
            publish(settings, topics, fragments);
            var config = new WriterConfig(settings, topics, Neo4jSettings.noAuth(neo4j.boltUri()), "bench-writer",
                "consumer", threads, batchRows, 16L << 20, Duration.ofMillis(200), Duration.ofSeconds(60), "bench");
            long rows = Fragments.rows(fragments);
            List<Result> results = new ArrayList<>();

            var metrics = new SimpleMeterRegistry();
            // The workers' start (schema, query plans compiled by the warm-up) is not counted, as the raw loader's
            // schema is not: the consume loops start polling when it is done.
            WorkerGroup writers = WriterWorker.start(config, Clock.systemUTC(), metrics);
            long start = System.nanoTime();
            try (Driver driver = Neo4jGraphWriter.connect(Neo4jSettings.noAuth(neo4j.boltUri()), Duration.ofSeconds(60))) {
                awaitCommitted(settings, "bench-writer", topics.fragments(), writers);
                results.add(new Result("writer workers, first load", rows, System.nanoTime() - start));
                Map<String, StatementTime> firstLoadTimes = StatementTime.of(metrics);
                StatementTime.print("writer workers, first load", firstLoadTimes, Map.of());
                GraphFingerprint.Fingerprint firstLoad = GraphFingerprint.of(driver, "", Set.of());
                GraphRows graphRows = GraphRows.read(driver);

                publish(settings, topics, fragments);
                long replay = System.nanoTime();
                awaitCommitted(settings, "bench-writer", topics.fragments(), writers);
                results.add(new Result("writer workers, idempotent replay", rows, System.nanoTime() - replay));
                StatementTime.print("writer workers, idempotent replay", StatementTime.of(metrics), firstLoadTimes);
                // Kept for a graph that differs from it (the bulk importer's): where they differ, line by line.
                java.nio.file.Files.write(work.resolve("writer-graph.txt"), GraphFingerprint.lines(driver, "", Set.of()));
                return new WriterRun(results, firstLoad, GraphFingerprint.of(driver, "", Set.of()), graphRows);
            } finally {
                writers.stop(Duration.ofSeconds(60));
            }
        }
    }

    /**
     * The lines of the bulk importer's graph that the writer workers' graph does not have, and the reverse (at most
     * {@code limit} of each), after {@link #writerWorkers} kept its graph's lines.
     */
    List<String> differences(Neo4jGraphWriter bulk, int limit) throws java.io.IOException {
        Set<String> writer = new java.util.HashSet<>(java.nio.file.Files.readAllLines(work.resolve("writer-graph.txt")));
        List<String> imported = GraphFingerprint.lines(bulk.driver(), "", Set.of());
        List<String> out = new ArrayList<>();
        imported.stream().filter(line -> !writer.contains(line)).limit(limit).forEach(line -> out.add("+ " + line));
        Set<String> importedSet = new java.util.HashSet<>(imported);
        writer.stream().filter(line -> !importedSet.contains(line)).sorted().limit(limit).forEach(line -> out.add("- " + line));
        return out;
    }

    /** The phases of a bulk import, and the graph it left. */
    record BulkRun(Result total, long csvNanos, long importNanos, long startNanos, long schemaNanos, long lateNanos,
                   long linkNanos, BulkImportCsv.Input input, GraphFingerprint.Fingerprint graph, List<String> differences) {}

    /**
     * Neo4j's bulk importer into an empty database: the fragments written as CSV files, imported by
     * {@code neo4j-admin database import full} in this JVM, the database started on the result, the writer's
     * constraints and indexes created on it and the empty lists the CSV cannot carry set. The CSV's writing includes
     * the link step, settled in memory ({@code BulkImportCsv}). The total counts everything but the database's
     * start, which the other phases do not count either.
     */
    BulkRun bulkImporter(List<GraphFragment> fragments, long importMemoryBytes, GraphFingerprint.Fingerprint expected)
        throws Exception {
        Path home = work.resolve("neo4j-bulk");
        long start = System.nanoTime();
        BulkImportCsv.Input input = BulkImportCsv.write(fragments, work.resolve("bulk-csv"));
        long csv = System.nanoTime();
        BulkImporter.importInto(home, new BulkImporter.Request(input.nodeFiles(), input.relationshipFiles(),
            BulkImportCsv.ARRAY_DELIMITER, input.idType(), input.multilineFields(), threads, importMemoryBytes));
        long imported = System.nanoTime();
        try (EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(home, 0, pageCacheBytes);
             var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(neo4j.boltUri()),
                 Duration.ofSeconds(60)), "")) {
            long started = System.nanoTime();
            writer.createSchema();
            long schema = System.nanoTime();
            writer.setLateLists(input.lateLists());
            long late = System.nanoTime();
            var total = new Result("bulk importer (link, CSV, import, schema)", Fragments.rows(fragments),
                (csv - start) + (imported - csv) + (late - started));
            var graph = GraphFingerprint.of(writer.driver(), "", Set.of());
            return new BulkRun(total, csv - start, imported - csv, started - imported, schema - started, late - schema,
                input.linkNanos(), input, graph, graph.equals(expected) ? List.of() : differences(writer, 15));
        }
    }

    /** Publishes every fragment, or fails: a benchmark of a partial load would measure the wrong thing. */
    private static void publish(KafkaSettings settings, Topics topics, List<GraphFragment> fragments) {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try (var producer = KafkaClients.producer(settings, "bench-publisher")) {
            for (GraphFragment f : fragments) {
                producer.send(FragmentRecords.toRecord(topics.fragments(), f), (metadata, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + fragments.size() + " fragments were not published: "
                + firstFailure.get().getMessage(), firstFailure.get());
        }
    }

    /** Waits until the group committed up to the end of every partition. */
    private static void awaitCommitted(KafkaSettings settings, String group, String topic, WorkerGroup writers)
        throws Exception {
        try (Admin admin = Admin.create(settings.base())) {
            if (!GroupLag.awaitCaughtUp(admin, group, GroupLag.endOffsets(admin, topic), 100, writers::isAlive)) {
                throw new IllegalStateException("a writer stopped: " + writers.failure());
            }
        }
    }
}
