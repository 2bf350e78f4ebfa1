package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Parser and writer workers running as threads of the test JVM against the shared broker and database, exactly as
 * the worker commands start them. Each test class takes its own topic prefix, so its records stay its own.
 */
final class InJvmWorkers implements AutoCloseable {
    final String prefix;
    final KafkaSettings kafka;
    final Neo4jSettings neo4j;
    private final WorkerGroup parsers;
    private final WorkerGroup writers;

    private InJvmWorkers(String prefix, KafkaSettings kafka, Neo4jSettings neo4j, WorkerGroup parsers, WorkerGroup writers) {
        this.prefix = prefix;
        this.kafka = kafka;
        this.neo4j = neo4j;
        this.parsers = parsers;
        this.writers = writers;
    }

    static InJvmWorkers start(String prefix, int parserThreads, int writerThreads, Optional<Path> sourceRoot)
        throws InterruptedException {
        var kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        var neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        var metrics = new SimpleMeterRegistry();
        var writers = WriterWorker.start(new WriterConfig(kafka, topics, neo4j, prefix + "-writer", "consumer",
            writerThreads, 1000, 16L << 20, Duration.ofMillis(50), Duration.ofSeconds(10), prefix), Clock.systemUTC(), metrics);
        var parsers = ParserWorker.start(new ParserConfig(kafka, topics, prefix + "-parser", "consumer", parserThreads,
            sourceRoot, 4L << 20, 16, ParserConfig.DEFAULT_PARSE_TIMEOUT, prefix), Clock.systemUTC(), metrics);
        return new InJvmWorkers(prefix, kafka, neo4j, parsers, writers);
    }

    /** The scan flags that point {@code ast2graph scan} at these workers. */
    String[] scanArgs() {
        return new String[] {"--bootstrap-servers", kafka.bootstrapServers(), "--neo4j-uri", neo4j.uri(),
            "--topic-prefix", prefix, "--no-progress"};
    }

    @Override
    public void close() throws InterruptedException {
        parsers.stop(Duration.ofSeconds(30));
        writers.stop(Duration.ofSeconds(30));
    }
}
