package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.observe.MetricsServer;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scrapes /metrics and the probes of running workers, each with its own registry and endpoint as in two processes,
 * while and after {@code ast2graph scan} publishes the sample tree; checks the pipeline meters count what happened.
 */
class MetricsScrapeIT {
    private static final String PREFIX = "metrics-it";
    private static final int FILES_IN_TREE = 5;

    @TempDir
    static Path repoDir;
    static KafkaSettings kafka;
    static Neo4jSettings neo4j;
    static WorkerGroup parsers;
    static WorkerGroup writers;
    static MetricsServer parserEndpoint;
    static MetricsServer writerEndpoint;

    @BeforeAll
    static void startWorkersWithTheirEndpoints() throws Exception {
        SampleRepo.copyTo(repoDir);
        kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        Topics topics = Topics.withPrefix(PREFIX);
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        Clock clock = Clock.systemUTC();
        // One loop per stage: no rebalance between two loops of a group can redeliver a file, so counts are exact.
        var writerRegistry = MetricsServer.registryWithJvmMetrics();
        writers = WriterWorker.start(new WriterConfig(kafka, topics, neo4j, "metrics-it-writer", "consumer", 1, 1000,
            16L << 20, Duration.ofMillis(50), Duration.ofSeconds(10), "it"), clock, writerRegistry);
        var parserRegistry = MetricsServer.registryWithJvmMetrics();
        parsers = ParserWorker.start(new ParserConfig(kafka, topics, "metrics-it-parser", "consumer", 1,
            Optional.of(repoDir), 4L << 20, 2, ParserConfig.DEFAULT_PARSE_TIMEOUT, "it"), clock, parserRegistry);
        writerEndpoint = MetricsServer.start(0, writerRegistry,
            () -> List.of(writers.liveness(WorkerCommands.LIVENESS_SILENCE, clock)), writers::readiness);
        parserEndpoint = MetricsServer.start(0, parserRegistry,
            () -> List.of(parsers.liveness(WorkerCommands.LIVENESS_SILENCE, clock)), parsers::readiness);
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        if (parserEndpoint != null) parserEndpoint.close();
        if (writerEndpoint != null) writerEndpoint.close();
        if (parsers != null) parsers.stop(Duration.ofSeconds(30));
        if (writers != null) writers.stop(Duration.ofSeconds(30));
    }

    @Test
    void workersServeThePipelineMetersWithTheCountsOfTheScan() throws Exception {
        var out = new ByteArrayOutputStream();
        CompletableFuture<Integer> scan = CompletableFuture.supplyAsync(() ->
            new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .execute("--bootstrap-servers", kafka.bootstrapServers(), "--neo4j-uri", neo4j.uri(),
                    "--topic-prefix", PREFIX, "--no-progress", "--timeout", "120", "--repo", "sample",
                    "--mode", "REFERENCE", repoDir.toString()));
        // Scrape while the scan runs, as Prometheus would: the endpoint must answer under load, not only when idle.
        List<Scrape> during = new ArrayList<>();
        while (!scan.isDone()) {
            during.add(Scrape.of(parserEndpoint.port()));
            during.add(Scrape.of(writerEndpoint.port()));
            Thread.sleep(50);
        }
        assertThat(scan.get(5, TimeUnit.SECONDS)).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(during).as("scrapes answered during the scan").isNotEmpty()
            .allSatisfy(scrape -> assertThat(scrape.text()).contains("ast2graph_consumer_lag"));

        Scrape parser = Scrape.of(parserEndpoint.port());
        assertThat(parser.sum("ast2graph_files_parsed_total")).isEqualTo(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_files_parsed_total", "outcome=\"problems\"")).as("Broken.java").isEqualTo(1);
        assertThat(parser.sum("ast2graph_parse_time_seconds_count")).isEqualTo(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_parse_time_seconds_sum")).isPositive();
        assertThat(parser.sum("ast2graph_parse_time_seconds_bucket", "le=\"+Inf\"")).isEqualTo(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_fragment_rows_count")).isEqualTo(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_fragment_rows_sum")).isGreaterThan(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_records_consumed_total", "stage=\"parser\"")).isEqualTo(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_batch_records_sum", "stage=\"parser\"")).isEqualTo(FILES_IN_TREE);
        assertThat(parser.sum("ast2graph_consumer_lag", "stage=\"parser\"")).isZero();
        assertThat(parser.sum("ast2graph_inflight_records", "stage=\"parser\"")).isZero();
        assertThat(parser.sum("ast2graph_files_slow_total")).isZero();
        assertThat(parser.sum("jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
        // Kafka's own client metrics, tagged with the stage (the binder adds metrics a client creates later within a minute).
        assertThat(parser.text().lines().filter(line -> line.startsWith("kafka_consumer_") && line.contains("stage=\"parser\"")))
            .isNotEmpty();
        assertThat(parser.text().lines().filter(line -> line.startsWith("kafka_producer_") && line.contains("stage=\"parser\"")))
            .isNotEmpty();

        Scrape writer = Scrape.of(writerEndpoint.port());
        assertThat(writer.sum("ast2graph_files_written_total")).isEqualTo(FILES_IN_TREE);
        assertThat(writer.sum("ast2graph_writer_commit_seconds_count")).isPositive();
        assertThat(writer.sum("ast2graph_writer_commit_seconds_bucket", "le=\"+Inf\""))
            .isEqualTo(writer.sum("ast2graph_writer_commit_seconds_count"));
        // The fragments' rows, less the shared nodes (packages) that several files of one batch contribute once.
        double rowsWritten = writer.sum("ast2graph_nodes_written_total") + writer.sum("ast2graph_relationships_written_total");
        assertThat(rowsWritten).isLessThanOrEqualTo(parser.sum("ast2graph_fragment_rows_sum"))
            .isGreaterThan(parser.sum("ast2graph_fragment_rows_sum") - FILES_IN_TREE);
        assertThat(writer.sum("ast2graph_nodes_written_total")).isGreaterThan(FILES_IN_TREE);
        assertThat(writer.sum("ast2graph_relationships_written_total")).isPositive();
        assertThat(writer.sum("ast2graph_records_consumed_total", "stage=\"writer\"")).isEqualTo(FILES_IN_TREE);
        assertThat(writer.sum("ast2graph_batch_handle_seconds_count", "stage=\"writer\""))
            .isEqualTo(writer.sum("ast2graph_writer_commit_seconds_count"));
        assertThat(writer.sum("ast2graph_batch_retries_total", "stage=\"writer\"")).isZero();
        assertThat(writer.sum("ast2graph_consumer_lag", "stage=\"writer\"")).isZero();
        assertThat(writer.text().lines().filter(line -> line.startsWith("kafka_consumer_") && line.contains("stage=\"writer\"")))
            .isNotEmpty();

        // Everything docs/metrics.md promises for a process is in its scrape (dead letters appear with the first one).
        Set<String> parserNames = withoutSeriesSuffixes(parser.names());
        Set<String> writerNames = withoutSeriesSuffixes(writer.names());
        assertThat(MetricNames.documentedFor("parser")).isNotEmpty()
            .filteredOn(name -> !name.equals("ast2graph_records_dead_lettered_total"))
            .allSatisfy(name -> assertThat(parserNames).as("the parser's scrape").contains(name));
        assertThat(MetricNames.documentedFor("writer")).isNotEmpty()
            .filteredOn(name -> !name.equals("ast2graph_records_dead_lettered_total"))
            .allSatisfy(name -> assertThat(writerNames).as("the writer's scrape").contains(name));
    }

    @Test
    void probesSayLiveAndReadyNamingEachCheck() throws Exception {
        var parserReady = Scrape.get(parserEndpoint.port(), "/health/ready");
        assertThat(parserReady.statusCode()).isEqualTo(200);
        assertThat(parserReady.body()).isEqualTo("kafka UP\n");

        var writerReady = Scrape.get(writerEndpoint.port(), "/health/ready");
        assertThat(writerReady.statusCode()).isEqualTo(200);
        assertThat(writerReady.body()).isEqualTo("kafka UP\nneo4j UP\n");

        var live = Scrape.get(parserEndpoint.port(), "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("parser polling UP\n");
    }

    private static Set<String> withoutSeriesSuffixes(Set<String> names) {
        Set<String> bases = new TreeSet<>(names);
        names.forEach(name -> bases.add(name.replaceAll("_(bucket|count|sum|max)$", "")));
        return bases;
    }
}
