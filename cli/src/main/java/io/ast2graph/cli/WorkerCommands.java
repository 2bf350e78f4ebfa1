package io.ast2graph.cli;

import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.observe.MetricsServer;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The long-running stages of a distributed deployment: each runs until SIGTERM, then drains and commits. */
final class WorkerCommands {
    private static final Logger log = LoggerFactory.getLogger(WorkerCommands.class);

    private WorkerCommands() {}

    static String defaultWorkerId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "worker";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * How long a consume loop may go without polling before the liveness probe fails. A batch holds the loop for its
     * parse or its Neo4j transaction (seconds; the driver gives up retrying after 30 s, then the loop pauses and polls
     * again), so two minutes of silence means stuck, well before Kafka's max.poll.interval.ms (10 minutes) evicts it.
     */
    static final Duration LIVENESS_SILENCE = Duration.ofMinutes(2);

    /**
     * Serves /metrics and the probes for {@code groups} on {@code port}; a no-op resource when the port is 0 (off).
     * Liveness: every loop of every group polled recently. Readiness: every group's downstream checks pass.
     */
    static AutoCloseable serveMetrics(int port, PrometheusMeterRegistry registry, List<WorkerGroup> groups)
        throws IOException {
        if (port == 0) {
            return () -> { };
        }
        Clock clock = Clock.systemUTC();
        return MetricsServer.start(port, registry,
            () -> groups.stream().map(g -> g.liveness(LIVENESS_SILENCE, clock)).toList(),
            () -> groups.stream().flatMap(g -> g.readiness().stream()).toList());
    }

    /** Runs a worker group until the process is asked to stop, or a loop fails. */
    static int runUntilStopped(WorkerGroup group, Duration drainTimeout) throws InterruptedException {
        CountDownLatch stopping = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopping.countDown();
            try {
                group.stop(drainTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!stopping.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (!group.isAlive()) {
                Throwable failure = group.failure();
                log.error("a consume loop stopped{}; shutting the worker down",
                    failure == null ? "" : ": " + failure.getMessage());
                group.stop(drainTimeout);
                return 1;
            }
        }
        return 0;
    }

    @Command(name = "parser-worker", mixinStandardHelpOptions = true,
        description = "Consume file references, parse them, produce graph fragments (runs until SIGTERM).")
    static final class Parser implements Callable<Integer> {
        @Mixin KafkaOptions kafka;

        @Option(names = "--threads", defaultValue = "${env:AST2GRAPH_PARSER_THREADS:-0}",
            description = "Parser threads (default: the number of cores). Env: AST2GRAPH_PARSER_THREADS.")
        int threads;

        @Option(names = "--source-root", defaultValue = "${env:AST2GRAPH_SOURCE_ROOT}",
            description = "Folder that reference-mode locations are resolved against (the mounted sources). Env: AST2GRAPH_SOURCE_ROOT.")
        Path sourceRoot;

        @Option(names = "--group", defaultValue = ParserConfig.DEFAULT_GROUP, description = "Consumer group (default: ${DEFAULT-VALUE}).")
        String group;

        @Option(names = "--group-protocol", defaultValue = "consumer", description = "consumer (KIP-848) or classic.")
        String groupProtocol;

        @Option(names = "--partitions", defaultValue = "12", description = "Partitions of topics created if missing.")
        int partitions;

        @Option(names = "--parse-timeout", defaultValue = "${env:AST2GRAPH_PARSE_TIMEOUT:-60}",
            description = "Seconds one file may take to parse before it is dead-lettered (default: ${DEFAULT-VALUE}).")
        long parseTimeoutSeconds;

        @Option(names = "--metrics-port", defaultValue = "${env:AST2GRAPH_METRICS_PORT:-8080}",
            description = "Port of /metrics, /health/live and /health/ready (default: ${DEFAULT-VALUE}; 0 turns it off). Env: AST2GRAPH_METRICS_PORT.")
        int metricsPort;

        @Option(names = "--slow-file-ms", defaultValue = "${env:AST2GRAPH_SLOW_FILE_MS:-2000}",
            description = "Files whose parse takes longer are counted and logged by path (default: ${DEFAULT-VALUE}). Env: AST2GRAPH_SLOW_FILE_MS.")
        long slowFileMillis;

        @Override
        public Integer call() throws Exception {
            requireKafka(kafka);
            try (Admin admin = Admin.create(kafka.settings().base())) {
                TopicSetup.ensureTopics(admin, kafka.topics(), partitions, (short) 1);
            }
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            var config = new ParserConfig(kafka.settings(), kafka.topics(), group, groupProtocol, n,
                Optional.ofNullable(sourceRoot), 4L * 1024 * 1024, 32, Duration.ofSeconds(parseTimeoutSeconds), defaultWorkerId(),
                Duration.ofMillis(slowFileMillis));
            var registry = MetricsServer.registryWithJvmMetrics();
            var workers = ParserWorker.start(config, Clock.systemUTC(), registry);
            try (var server = serveMetrics(metricsPort, registry, List.of(workers))) {
                return runUntilStopped(workers, Duration.ofSeconds(30));
            }
        }
    }

    @Command(name = "writer-worker", mixinStandardHelpOptions = true,
        description = "Consume graph fragments and write them to Neo4j in batches (runs until SIGTERM).")
    static final class Writer implements Callable<Integer> {
        @Mixin KafkaOptions kafka;
        @Mixin Neo4jOptions neo4j;

        @Option(names = "--threads", defaultValue = "${env:AST2GRAPH_WRITER_THREADS:-2}",
            description = "Writer threads (default: ${DEFAULT-VALUE}). Env: AST2GRAPH_WRITER_THREADS.")
        int threads;

        @Option(names = "--batch-rows", defaultValue = "1000", description = "Initial batch size in rows; adapts to commit latency.")
        int batchRows;

        @Option(names = "--group", defaultValue = WriterConfig.DEFAULT_GROUP, description = "Consumer group (default: ${DEFAULT-VALUE}).")
        String group;

        @Option(names = "--group-protocol", defaultValue = "consumer", description = "consumer (KIP-848) or classic.")
        String groupProtocol;

        @Option(names = "--partitions", defaultValue = "12", description = "Partitions of topics created if missing.")
        int partitions;

        @Option(names = "--metrics-port", defaultValue = "${env:AST2GRAPH_METRICS_PORT:-8080}",
            description = "Port of /metrics, /health/live and /health/ready (default: ${DEFAULT-VALUE}; 0 turns it off). Env: AST2GRAPH_METRICS_PORT.")
        int metricsPort;

        @Option(names = "--rewrite-unchanged", defaultValue = "${env:AST2GRAPH_REWRITE_UNCHANGED:-false}",
            description = "Write a fragment again even when the graph holds its file with the same content (by default it is skipped): "
                + "a replay then repairs a graph changed by hand, at the cost of rewriting it all. Env: AST2GRAPH_REWRITE_UNCHANGED.")
        boolean rewriteUnchanged;

        @Override
        public Integer call() throws Exception {
            requireKafka(kafka);
            if (!neo4j.isSet()) {
                throw new IllegalArgumentException("writer-worker needs --neo4j-uri (or NEO4J_URI)");
            }
            try (Admin admin = Admin.create(kafka.settings().base())) {
                TopicSetup.ensureTopics(admin, kafka.topics(), partitions, (short) 1);
            }
            var defaults = WriterConfig.defaults(kafka.settings(), kafka.topics(), neo4j.settings(), threads, defaultWorkerId());
            var config = new WriterConfig(defaults.kafka(), defaults.topics(), defaults.neo4j(), group, groupProtocol,
                threads, batchRows, defaults.maxBatchBytes(), defaults.linger(), defaults.maxRetryTime(), defaults.workerId(),
                rewriteUnchanged);
            var registry = MetricsServer.registryWithJvmMetrics();
            var workers = WriterWorker.start(config, Clock.systemUTC(), registry);
            try (var server = serveMetrics(metricsPort, registry, List.of(workers))) {
                return runUntilStopped(workers, Duration.ofSeconds(60));
            }
        }
    }

    static void requireKafka(KafkaOptions kafka) {
        if (!kafka.isSet()) {
            throw new IllegalArgumentException("this stage needs --bootstrap-servers (or AST2GRAPH_BOOTSTRAP_SERVERS)");
        }
    }
}
