package io.ast2graph.cli;

import io.ast2graph.common.kafka.GroupLag;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ast2graph rebuild}: writes the graph again, into an empty Neo4j, from the fragments topic alone — no
 * re-parsing. The fragments topic is compacted and keyed by file, so it holds the latest fragment of every file (and
 * tombstones of deleted ones); a writer in a fresh consumer group reads it from the start up to its current end.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
    description = "Rebuild the graph in an empty Neo4j from the fragments topic, without re-parsing.")
final class RebuildCommand implements Callable<Integer> {
    @Option(names = "--writer-threads", defaultValue = "2", description = "Writer threads (default: ${DEFAULT-VALUE}).")
    int writerThreads;

    @Option(names = "--force", description = "Write into a database that is not empty (writes are idempotent).")
    boolean force;

    @Mixin KafkaOptions kafkaOptions;
    @Mixin Neo4jOptions neo4jOptions;
    @Mixin EmbeddedOptions embeddedOptions;

    private final PrintStream out;

    RebuildCommand() {
        this(System.out);
    }

    RebuildCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (kafkaOptions.isSet()) {
            if (!neo4jOptions.isSet()) {
                throw new IllegalArgumentException("rebuild against a Kafka cluster needs --neo4j-uri as well");
            }
            return rebuild(kafkaOptions.settings(), neo4jOptions.settings());
        }
        if (!Files.isDirectory(embeddedOptions.dataDir.resolve("kafka"))) {
            throw new IllegalArgumentException("no embedded broker data in --data-dir " + embeddedOptions.dataDir.toAbsolutePath()
                + ": rebuild reads the fragments topic of an earlier scan");
        }
        switch (DataDir.claim(embeddedOptions.dataDir)) {
            case DataDir.Served served -> {
                // The serve's own writers keep consuming beside the rebuild's group: writes are idempotent.
                return rebuild(KafkaSettings.of(served.serve().bootstrapServers()), Neo4jSettings.noAuth(served.serve().boltUri()));
            }
            case DataDir.Owned owned -> {
                try (owned; LocalPipeline servers = LocalPipeline.startServers(embeddedOptions.dataDir,
                    embeddedOptions.boltPort, embeddedOptions.pageCacheBytes())) {
                    return rebuild(servers.kafka(), servers.neo4j());
                }
            }
        }
    }

    private int rebuild(KafkaSettings kafka, Neo4jSettings neo4j) throws Exception {
        Topics topics = kafkaOptions.topics();
        try (var graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(30)), neo4j.database());
             Admin admin = Admin.create(kafka.base())) {
            long existing = (Long) graph.read("MATCH (n) WHERE NOT n:LinkLock RETURN count(n) AS n", Map.of()).getFirst().get("n");
            if (existing > 0 && !force) {
                out.printf("ast2graph: the database already holds %d nodes; rebuild writes into an empty one "
                    + "(or pass --force: writes are idempotent)%n", existing);
                return 1;
            }
            Map<TopicPartition, Long> end = GroupLag.endOffsets(admin, topics.fragments());
            long records = end.values().stream().mapToLong(Long::longValue).sum();
            String group = "ast2graph-rebuild-" + System.currentTimeMillis();
            var defaults = WriterConfig.defaults(kafka, topics, neo4j, writerThreads, WorkerCommands.defaultWorkerId());
            var config = new WriterConfig(kafka, topics, neo4j, group, defaults.groupProtocol(), writerThreads,
                defaults.initialBatchRows(), defaults.maxBatchBytes(), defaults.linger(), defaults.maxRetryTime(),
                defaults.workerId());
            out.printf("ast2graph: rebuilding from %s (up to %d records) with consumer group %s%n",
                topics.fragments(), records, group);
            long start = System.nanoTime();
            WorkerGroup writers = WriterWorker.start(config, Clock.systemUTC(), new SimpleMeterRegistry());
            boolean caughtUp;
            try {
                caughtUp = GroupLag.awaitCaughtUp(admin, group, end, 250, writers::isAlive);
            } finally {
                writers.stop(Duration.ofSeconds(60));
                // The group was only for this rebuild: leave no stale group behind.
                admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
            }
            if (!caughtUp) {
                out.println("ast2graph: rebuild stopped: a writer failed: " + writers.failure());
                return 1;
            }
            var counts = graph.read("CALL () { MATCH (f:File) RETURN count(f) AS files } "
                + "CALL () { MATCH (n) WHERE NOT n:LinkLock RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } "
                + "RETURN files, nodes, rels", Map.of()).getFirst();
            out.printf("ast2graph: rebuilt %s files, %s nodes, %s relationships in %.1f s%n", counts.get("files"),
                counts.get("nodes"), counts.get("rels"), (System.nanoTime() - start) / 1e9);
            return 0;
        }
    }
}
