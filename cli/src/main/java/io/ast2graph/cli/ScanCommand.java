package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.producer.PublishResult;
import io.ast2graph.producer.ScanId;
import io.ast2graph.producer.SourcePublisher;
import io.ast2graph.producer.SourceWalker;
import io.ast2graph.producer.WalkResult;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.common.json.Json;
import io.ast2graph.common.observe.MetricsServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ast2graph scan DIR...}: publishes every Java file of the folders and returns once the writers committed
 * all of them to Neo4j. Without {@code --bootstrap-servers} it runs the embedded default (broker, database and
 * workers in this process); with it, it publishes to that cluster and follows the workers' progress from its
 * events topic.
 */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Scan source folders into the code graph and wait until every file is written.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every file is in the graph (files with syntax errors included, with their problems)",
        "1:the scan could not complete (a server or worker failed, or --timeout passed)",
        "2:the scan completed, but some files could not be handled at all (see the dead-letter topics)"})
final class ScanCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Source folders to scan (one repository).")
    List<Path> roots;

    @Option(names = "--repo", description = "Repository name (default: the first folder's name).")
    String repo;

    @Option(names = "--mode", description = "How file content reaches parsers: INLINE (in the message) or REFERENCE "
        + "(a path under the root workers mount). Default: REFERENCE for the embedded default with one folder, else INLINE.")
    SourcePublisher.Mode mode;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching (repeatable; default **/*.java).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files matching (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--max-file-size", defaultValue = "4m", description = "Larger files are reported, not sent (default: ${DEFAULT-VALUE}).")
    String maxFileSize;

    @Option(names = "--parser-threads", description = "Parser threads of the embedded default (default: the number of cores).")
    Integer parserThreads;

    @Option(names = "--writer-threads", defaultValue = "2", description = "Writer threads of the embedded default (default: ${DEFAULT-VALUE}).")
    int writerThreads;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of topics this command creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor of topics this command creates.")
    short replicationFactor;

    @Option(names = "--timeout", defaultValue = "0", description = "Give up after this many seconds (default: wait as long as the workers make progress).")
    long timeoutSeconds;

    @Option(names = "--no-progress", description = "Plain log lines instead of a progress bar.")
    boolean noProgress;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the end-of-scan report as JSON to FILE.")
    Path reportFile;

    @Option(names = "--metrics-port", defaultValue = "${env:AST2GRAPH_METRICS_PORT:-0}",
        description = "Serve /metrics and /health/* on this port while scanning (default: 0, off). Env: AST2GRAPH_METRICS_PORT.")
    int metricsPort;

    @Mixin KafkaOptions kafkaOptions;
    @Mixin Neo4jOptions neo4jOptions;
    @Mixin EmbeddedOptions embeddedOptions;

    private final PrintStream out;
    /** The meters of this run: the embedded workers' and the producer's; served when --metrics-port is set. */
    private PrometheusMeterRegistry metrics;

    ScanCommand() {
        this(System.out);
    }

    ScanCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        metrics = MetricsServer.registryWithJvmMetrics();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("DIR " + root + " is not a folder");
            }
        }
        String repoName = repo != null ? repo : roots.getFirst().toAbsolutePath().normalize().getFileName().toString();
        if (!repoName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--repo must be letters, digits, '.', '_' or '-', was '" + repoName + "'");
        }
        var walkSettings = new SourceWalker.Settings(includes.isEmpty() ? SourceWalker.DEFAULT_INCLUDES : includes,
            excludes, Sizes.parse(maxFileSize, "--max-file-size"));
        WalkResult walk = new SourceWalker(walkSettings).walk(roots);

        Topics topics = kafkaOptions.topics();
        boolean embedded = !kafkaOptions.isSet();
        SourcePublisher.Mode contentMode = mode != null ? mode
            : embedded && roots.size() == 1 ? SourcePublisher.Mode.REFERENCE : SourcePublisher.Mode.INLINE;
        if (contentMode == SourcePublisher.Mode.REFERENCE && roots.size() > 1) {
            throw new IllegalArgumentException("--mode REFERENCE takes one folder; scan several folders with --mode INLINE");
        }

        if (embedded) {
            long start = System.nanoTime();
            try (LocalPipeline pipeline = LocalPipeline.startServers(embeddedOptions.dataDir, embeddedOptions.boltPort,
                embeddedOptions.pageCacheBytes())) {
                int parsers = parserThreads != null ? parserThreads : Runtime.getRuntime().availableProcessors();
                Optional<Path> sourceRoot = contentMode == SourcePublisher.Mode.REFERENCE
                    ? Optional.of(roots.getFirst().toAbsolutePath().normalize()) : Optional.empty();
                pipeline.startWorkers(topics, parsers, writerThreads, sourceRoot, metrics);
                Duration startup = Duration.ofNanos(System.nanoTime() - start);
                try (var server = WorkerCommands.serveMetrics(metricsPort, metrics, pipeline.workerGroups())) {
                    return publishAndWait(pipeline.kafka(), topics, repoName, walk, contentMode, pipeline.neo4j(),
                        pipeline::workerFailure, startup);
                }
            }
        }
        try (Admin admin = Admin.create(kafkaOptions.settings().base())) {
            TopicSetup.ensureTopics(admin, topics, partitions, replicationFactor);
        }
        try (var server = WorkerCommands.serveMetrics(metricsPort, metrics, List.of())) {
            return publishAndWait(kafkaOptions.settings(), topics, repoName, walk, contentMode,
                neo4jOptions.isSet() ? neo4jOptions.settings() : null, Optional::empty, Duration.ZERO);
        }
    }

    private int publishAndWait(KafkaSettings kafka, Topics topics, String repoName, WalkResult walk,
                               SourcePublisher.Mode contentMode, Neo4jSettings neo4jForSummary,
                               java.util.function.Supplier<Optional<Throwable>> workerFailure, Duration startup)
        throws InterruptedException {
        Clock clock = Clock.systemUTC();
        String scanId = ScanId.next(repoName, clock);
        long start = System.nanoTime();
        PublishResult published;
        ScanProgress progress;
        ScanReport watcherReport;
        try (ScanWatcher watcher = new ScanWatcher(kafka, topics.events(), scanId);
             var producer = KafkaClients.producer(kafka, "ast2graph-producer-" + scanId);
             ProgressView view = ProgressView.choose(noProgress, scanId)) {
            watcherReport = watcher.report();
            published = new SourcePublisher(producer, topics, SourcePublisher.Settings.defaults(contentMode), clock)
                .publish(scanId, repoName, clock.millis(), walk.files());
            Counter.builder("ast2graph.files.published").description("files the producer published")
                .register(metrics).increment(published.published());
            long deadline = timeoutSeconds > 0 ? start + Duration.ofSeconds(timeoutSeconds).toNanos() : Long.MAX_VALUE;
            do {
                progress = watcher.poll(Duration.ofMillis(200));
                view.update(progress);
                Optional<Throwable> failure = workerFailure.get();
                if (failure.isPresent()) {
                    out.println("ast2graph: scan " + scanId + " could not complete: a worker stopped: " + failure.get().getMessage());
                    return 1;
                }
                if (System.nanoTime() > deadline) {
                    out.printf("ast2graph: scan %s did not complete within %d s: %d of %d files written%n",
                        scanId, timeoutSeconds, progress.written(), progress.expected());
                    return 1;
                }
            } while (!progress.complete());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        printSummary(scanId, repoName, walk, published, progress, elapsed, startup, neo4jForSummary);
        report(watcherReport, repoName, walk.skipped().size() + published.skipped().size(), startup, clock, neo4jForSummary);
        return progress.failed() > 0 ? 2 : 0;
    }

    /** The nodes and relationships in the whole database. */
    private static long[] graphCounts(Neo4jSettings neo4j) {
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(5)), neo4j.database())) {
            var counts = writer.read("CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels", Map.of());
            return new long[] {((Number) counts.getFirst().get("nodes")).longValue(), ((Number) counts.getFirst().get("rels")).longValue()};
        }
    }

    /** Prints the end-of-scan report and writes it to {@code --report FILE} if asked. */
    private void report(ScanReport events, String repoName, long skipped, Duration startup, Clock clock,
                        Neo4jSettings neo4j) {
        ScanReport.Report report = events.build(repoName, skipped, startup.toMillis(), clock.millis());
        if (neo4j != null) {
            try {
                long[] counts = graphCounts(neo4j);
                report = report.withGraph(counts[0], counts[1]);
            } catch (RuntimeException e) {
                // The summary above already said the database cannot be counted; the report keeps -1 (unknown).
            }
        }
        report.print(out);
        if (reportFile != null) {
            try {
                Path parent = reportFile.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.write(reportFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(report));
                out.println("  report     " + reportFile);
            } catch (IOException e) {
                out.println("  report     cannot write " + reportFile + ": " + e.getMessage());
            }
        }
    }

    private void printSummary(String scanId, String repoName, WalkResult walk, PublishResult published,
                              ScanProgress progress, Duration elapsed, Duration startup, Neo4jSettings neo4j) {
        double seconds = Math.max(elapsed.toMillis() / 1000.0, 0.001);
        out.printf("ast2graph: scan %s of repo '%s' complete%n", scanId, repoName);
        out.printf("  files      %d published, %d written, %d with parse problems, %d failed, %d skipped by the walk%n",
            published.published(), progress.written(), progress.filesWithProblems(), progress.failed(),
            walk.skipped().size() + published.skipped().size());
        out.printf("  time       %.1f s (%.1f files/s)%s%n", seconds, progress.written() / seconds,
            startup.isZero() ? "" : String.format(", plus %.1f s to start the embedded servers", startup.toMillis() / 1000.0));
        if (neo4j != null) {
            try {
                long[] counts = graphCounts(neo4j);
                out.printf("  graph      %d nodes, %d relationships in the database%n", counts[0], counts[1]);
            } catch (RuntimeException e) {
                out.println("  graph      (cannot count: " + e.getMessage() + ")");
            }
        }
        if (!progress.errorsByType().isEmpty()) {
            out.println("  errors     " + progress.errorsByType());
            progress.problemExamples().forEach(e -> out.printf("             %s: %s%n", e.path(), e.detail()));
            progress.failures().values().stream().limit(10)
                .forEach(e -> out.printf("             %s: %s: %s%n", e.path(), e.errorType(), e.detail()));
        }
        walk.skipped().stream().limit(10).forEach(s -> out.printf("  skipped    %s: %s%n", s.relativePath(), s.reason()));
        published.skipped().stream().limit(10).forEach(s -> out.printf("  skipped    %s: %s%n", s.relativePath(), s.reason()));
    }
}
