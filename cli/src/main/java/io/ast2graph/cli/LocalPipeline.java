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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded default: a real Kafka broker and a real Neo4j started in this process, with their data under one
 * folder, and the parser and writer workers running as threads against them, exactly as they would run in separate
 * processes (they talk to the broker and to Bolt over loopback).
 */
final class LocalPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);
    static final int PARTITIONS = 12;

    private final EmbeddedKafka kafka;
    /** Neo4j starts beside the broker and the parsers; joined by whatever needs it first. */
    private final CompletableFuture<EmbeddedNeo4j> neo4jStart;
    private final Path neo4jDir;
    private WorkerGroup parsers;
    private WorkerGroup writers;

    private final int boltPort;
    private final long pageCacheBytes;
    /**
     * Whether Neo4j's start was taken: by the decision the pipeline was started with, by {@link #startNeo4j} (a bulk
     * load starts it after the import), or by {@link #close} (which then only keeps a late decision from starting it).
     */
    private final AtomicBoolean neo4jClaimed;
    /** Completes once the decision whether Neo4j starts beside the broker has been acted on. */
    private final CompletableFuture<Void> neo4jDecided;

    private LocalPipeline(EmbeddedKafka kafka, CompletableFuture<EmbeddedNeo4j> neo4jStart, Path neo4jDir, int boltPort,
                          long pageCacheBytes, AtomicBoolean neo4jClaimed, CompletableFuture<Void> neo4jDecided) {
        this.kafka = kafka;
        this.neo4jStart = neo4jStart;
        this.neo4jDir = neo4jDir;
        this.boltPort = boltPort;
        this.pageCacheBytes = pageCacheBytes;
        this.neo4jClaimed = neo4jClaimed;
        this.neo4jDecided = neo4jDecided;
    }

    /** Starts the servers (in parallel: each takes seconds) without workers; returns once both are up. */
    static LocalPipeline startServers(Path dataDir, int boltPort, long pageCacheBytes) throws Exception {
        LocalPipeline pipeline = startBroker(dataDir, boltPort, pageCacheBytes);
        try {
            pipeline.neo4jServer();
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    /**
     * Starts the broker, and Neo4j beside it; returns once the broker is up, with Neo4j possibly still starting, so
     * that what needs only the broker (the parsers, the producer's manifest) gets going meanwhile.
     */
    static LocalPipeline startBroker(Path dataDir, int boltPort, long pageCacheBytes) throws Exception {
        return startBroker(dataDir, boltPort, pageCacheBytes, CompletableFuture.completedFuture(true));
    }

    /**
     * Starts the broker alone: Neo4j starts when {@link #startNeo4j} is called, once the bulk importer has written its
     * database ({@link BulkFirstLoad}).
     */
    static LocalPipeline startBrokerWithoutNeo4j(Path dataDir, int boltPort, long pageCacheBytes) throws Exception {
        return startBroker(dataDir, boltPort, pageCacheBytes, CompletableFuture.completedFuture(false));
    }

    /**
     * Starts the broker; Neo4j starts beside it as soon as {@code withNeo4j} completes with true (a scan that decides
     * on the walk's file count whether to load in bulk), or later through {@link #startNeo4j} if with false.
     */
    static LocalPipeline startBroker(Path dataDir, int boltPort, long pageCacheBytes,
                                     CompletionStage<Boolean> withNeo4j) throws Exception {
        Path dir = dataDir.toAbsolutePath();
        var neo4jStart = new CompletableFuture<EmbeddedNeo4j>();
        var claimed = new AtomicBoolean();
        // Its own thread, not the common pool, which the producer's hashing keeps busy meanwhile.
        CompletableFuture<Void> decided = withNeo4j.toCompletableFuture().thenAccept(start -> {
            if (start && claimed.compareAndSet(false, true)) {
                Thread.ofPlatform().name("neo4j-start").daemon()
                    .start(() -> startInto(neo4jStart, dir.resolve("neo4j"), boltPort, pageCacheBytes));
            }
        });
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, PARTITIONS);
        } catch (Exception e) {
            if (!claimed.compareAndSet(false, true)) {
                neo4jStart.thenAccept(EmbeddedNeo4j::close);
            }
            throw e;
        }
        return new LocalPipeline(kafka, neo4jStart, dir.resolve("neo4j"), boltPort, pageCacheBytes, claimed, decided);
    }

    private static void startInto(CompletableFuture<EmbeddedNeo4j> neo4jStart, Path home, int boltPort,
                                  long pageCacheBytes) {
        try {
            neo4jStart.complete(EmbeddedNeo4j.start(home, boltPort, pageCacheBytes));
        } catch (RuntimeException e) {
            neo4jStart.completeExceptionally(e);
        }
    }

    /** Starts Neo4j now, in this thread, on what is in its folder; for a pipeline started without it. */
    void startNeo4j() {
        neo4jDecided.join();
        if (!neo4jClaimed.compareAndSet(false, true)) {
            throw new IllegalStateException("Neo4j was started already");
        }
        startInto(neo4jStart, neo4jDir, boltPort, pageCacheBytes);
    }

    /** Creates the topics and starts the workers. */
    void startWorkers(Topics topics, int parserThreads, int writerThreads, Optional<Path> sourceRoot,
                      MeterRegistry metrics) throws InterruptedException {
        startParsers(topics, parserThreads, sourceRoot, metrics);
        startWriters(topics, writerThreads, metrics);
    }

    /**
     * Creates the topics and starts the parser workers, which need only the broker: their consumer group settles
     * while Neo4j is still starting, instead of holding the first files published.
     */
    void startParsers(Topics topics, int parserThreads, Optional<Path> sourceRoot, MeterRegistry metrics)
        throws InterruptedException {
        startParsers(topics, parserThreads, sourceRoot, metrics, true);
    }

    /**
     * @param warmUp whether to parse a sample beside Neo4j's start: for a rescan of a few files, whose first would be
     *               parsed cold. A bulk load starts Neo4j only after the parse, and its thousands of files warm the
     *               parser up themselves; a warm-up there only takes a core from them.
     */
    void startParsers(Topics topics, int parserThreads, Optional<Path> sourceRoot, MeterRegistry metrics, boolean warmUp)
        throws InterruptedException {
        try (Admin admin = Admin.create(kafka().base())) {
            TopicSetup.ensureTopics(admin, topics, PARTITIONS, (short) 1);
        }
        parsers = ParserWorker.start(ParserConfig.defaults(kafka(), topics, parserThreads, sourceRoot, "local"),
            Clock.systemUTC(), metrics);
        if (warmUp) {
            // Beside Neo4j's start, when the parsers wait for files anyway; a file arriving meanwhile is parsed all the same.
            Thread.ofPlatform().name("parser-warm-up").daemon().start(ParserWarmUp::run);
        }
    }

    /** Waits for Neo4j, then starts the writer workers (which compile their query plans first). */
    void startWriters(Topics topics, int writerThreads, MeterRegistry metrics) {
        startWriters(topics, writerThreads, metrics, true);
    }

    /** @param warmUp whether the writers compile their query plans first (not after a bulk load: they only confirm) */
    void startWriters(Topics topics, int writerThreads, MeterRegistry metrics, boolean warmUp) {
        writers = WriterWorker.start(WriterConfig.defaults(kafka(), topics, neo4j(), writerThreads, "local"),
            Clock.systemUTC(), metrics, warmUp);
    }

    KafkaSettings kafka() {
        return KafkaSettings.of(kafka.bootstrapServers());
    }

    /** Waits for Neo4j to be up. */
    Neo4jSettings neo4j() {
        return Neo4jSettings.noAuth(neo4jServer().boltUri());
    }

    /**
     * Waits for Neo4j to be up.
     *
     * @throws IllegalStateException if it could not start
     */
    EmbeddedNeo4j neo4jServer() {
        neo4jDecided.join();
        if (!neo4jClaimed.get()) {
            throw new IllegalStateException("the embedded Neo4j has not been started (a bulk load starts it after its import)");
        }
        try {
            return neo4jStart.join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            // The data folder's lock rules out a second ast2graph on it; a Bolt port taken (a serve of another
            // --data-dir on 7687) is the likelier cause.
            throw new IllegalStateException("cannot start the embedded Neo4j in " + neo4jDir
                + " (is its Bolt port taken, e.g. by a serve of another --data-dir? then give --bolt-port): "
                + cause.getMessage(), cause);
        }
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
            // Started or failed, never left running: join() waits for a start still under way; a decision still to
            // come finds Neo4j's start claimed and starts nothing.
            if (!neo4jClaimed.compareAndSet(false, true)) {
                try {
                    neo4jStart.join().close();
                } catch (RuntimeException e) {
                    log.debug("the embedded Neo4j did not start, nothing to stop: {}", e.toString());
                }
            }
        }
        log.debug("embedded pipeline stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
