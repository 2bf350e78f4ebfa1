package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.embedded.EmbeddedKafka;
import io.ast2graph.embedded.EmbeddedNeo4j;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded default: a real Kafka broker and a real Neo4j started in this process, with their data under one
 * folder, and the parser and writer workers running as threads against them, exactly as they would run in separate
 * processes (they talk to the broker and to Bolt over loopback).
 */
final class LocalPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);
    static final int PARTITIONS = 12;

    private final EmbeddedKafka kafka;
    private final EmbeddedNeo4j neo4j;
    private WorkerGroup parsers;
    private WorkerGroup writers;

    private LocalPipeline(EmbeddedKafka kafka, EmbeddedNeo4j neo4j) {
        this.kafka = kafka;
        this.neo4j = neo4j;
    }

    /** Starts the servers (in parallel: each takes seconds) without workers. */
    static LocalPipeline startServers(Path dataDir, int boltPort, long pageCacheBytes) throws Exception {
        Path dir = dataDir.toAbsolutePath();
        var neo4jStart = CompletableFuture.supplyAsync(() -> EmbeddedNeo4j.start(dir.resolve("neo4j"), boltPort, pageCacheBytes));
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, PARTITIONS);
        } catch (Exception e) {
            neo4jStart.thenAccept(EmbeddedNeo4j::close);
            throw e;
        }
        try {
            return new LocalPipeline(kafka, neo4jStart.join());
        } catch (RuntimeException e) {
            kafka.close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot start the embedded Neo4j in " + dir.resolve("neo4j")
                + " (is another ast2graph using this --data-dir?): " + cause.getMessage(), cause);
        }
    }

    /** Creates the topics and starts the workers. */
    void startWorkers(Topics topics, int parserThreads, int writerThreads, Optional<Path> sourceRoot,
                      MeterRegistry metrics) throws InterruptedException {
        try (Admin admin = Admin.create(kafka().base())) {
            TopicSetup.ensureTopics(admin, topics, PARTITIONS, (short) 1);
        }
        Clock clock = Clock.systemUTC();
        writers = WriterWorker.start(WriterConfig.defaults(kafka(), topics, neo4j(), writerThreads, "local"), clock, metrics);
        parsers = ParserWorker.start(ParserConfig.defaults(kafka(), topics, parserThreads, sourceRoot, "local"), clock, metrics);
    }

    KafkaSettings kafka() {
        return KafkaSettings.of(kafka.bootstrapServers());
    }

    Neo4jSettings neo4j() {
        return Neo4jSettings.noAuth(neo4j.boltUri());
    }

    EmbeddedNeo4j neo4jServer() {
        return neo4j;
    }

    /** The running worker groups, for the metrics endpoint's probes. */
    List<WorkerGroup> workerGroups() {
        return java.util.stream.Stream.of(parsers, writers).filter(java.util.Objects::nonNull).toList();
    }

    /** The error that stopped a worker, if one did. */
    Optional<Throwable> workerFailure() {
        for (WorkerGroup group : new WorkerGroup[] {parsers, writers}) {
            if (group != null && group.failure() != null) {
                return Optional.of(group.failure());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        long start = System.nanoTime();
        try {
            if (parsers != null) {
                parsers.stop(Duration.ofSeconds(30));
            }
            if (writers != null) {
                writers.stop(Duration.ofSeconds(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            kafka.close();
            neo4j.close();
        }
        log.debug("embedded pipeline stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
