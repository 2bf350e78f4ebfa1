package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.model.ManifestEntry;
import io.ast2graph.producer.ChangeSet;
import io.ast2graph.producer.DigestedFile;
import io.ast2graph.producer.ManifestStore;
import io.ast2graph.producer.PublishException;
import io.ast2graph.producer.PublishResult;
import io.ast2graph.producer.ScanId;
import io.ast2graph.producer.Skipped;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

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

    @Option(names = "--repo-root", paramLabel = "DIR", description = "The repository's top folder: file paths, and "
        + "the locations REFERENCE mode sends, are relative to it (default: the deepest folder that contains every DIR).")
    Path repoRoot;

    @Option(names = "--repo", description = "Repository name (default: the name of the repository root folder).")
    String repo;

    @Option(names = "--full", description = "Publish every file, not only those changed since the last completed scan "
        + "of the repository (deleted files are removed either way).")
    boolean full;

    @Option(names = "--mode", description = "How file content reaches parsers: INLINE (in the message) or REFERENCE "
        + "(a path under the repository root, which workers mount). Default: REFERENCE for the embedded default, else INLINE.")
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

    private static final Logger log = LoggerFactory.getLogger(ScanCommand.class);
    private static final Duration MANIFEST_TIMEOUT = Duration.ofSeconds(120);

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
        Path repository = repoRoot != null ? repoRoot.toAbsolutePath().normalize() : SourceWalker.commonAncestor(roots);
        if (!Files.isDirectory(repository)) {
            throw new IllegalArgumentException("--repo-root " + repoRoot + " is not a folder");
        }
        String repoName = repo != null ? repo : nameOf(repository);
        if (!repoName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--repo must be letters, digits, '.', '_' or '-', was '" + repoName + "'");
        }
        var walkSettings = new SourceWalker.Settings(includes.isEmpty() ? SourceWalker.DEFAULT_INCLUDES : includes,
            excludes, Sizes.parse(maxFileSize, "--max-file-size"));
        long walkStart = System.nanoTime();
        WalkResult walk = new SourceWalker(walkSettings).walk(repository, roots);
        Duration walking = Duration.ofNanos(System.nanoTime() - walkStart);
        log.info("walked {} files under {} in {} ms", walk.files().size(), repository, walking.toMillis());
        // Hashing every file is most of a rescan's own work; it needs no server, so it runs while they start.
        // Its own thread, not the common pool: hashAll's parallel stream runs on the common pool plus the calling
        // thread, and a common-pool caller would leave a 2-core machine hashing on one thread.
        CompletableFuture<Hashing> hashing = CompletableFuture.supplyAsync(() -> {
            long hashStart = System.nanoTime();
            DigestedFile.Hashed hashed = DigestedFile.hashAll(walk.files());
            return new Hashing(hashed, Duration.ofNanos(System.nanoTime() - hashStart));
        }, task -> Thread.ofPlatform().name("hash-files").daemon().start(task));
        var scan = new Scan(repoName, repository, scannedFolders(repository), walk, walking, hashing);

        Topics topics = kafkaOptions.topics();
        boolean embedded = !kafkaOptions.isSet();
        SourcePublisher.Mode contentMode = mode != null ? mode
            : embedded ? SourcePublisher.Mode.REFERENCE : SourcePublisher.Mode.INLINE;

        if (embedded) {
            long start = System.nanoTime();
            try (LocalPipeline pipeline = LocalPipeline.startServers(embeddedOptions.dataDir, embeddedOptions.boltPort,
                embeddedOptions.pageCacheBytes())) {
                int parsers = parserThreads != null ? parserThreads : Runtime.getRuntime().availableProcessors();
                // Workers resolve reference locations, which are relative to the repository root, against it.
                Optional<Path> sourceRoot = contentMode == SourcePublisher.Mode.REFERENCE ? Optional.of(repository) : Optional.empty();
                pipeline.startWorkers(topics, parsers, writerThreads, sourceRoot, metrics);
                Duration startup = Duration.ofNanos(System.nanoTime() - start);
                try (var server = WorkerCommands.serveMetrics(metricsPort, metrics, pipeline.workerGroups())) {
                    return publishAndWait(pipeline.kafka(), topics, scan, contentMode, pipeline.neo4j(),
                        pipeline::workerFailure, startup);
                }
            }
        }
        try (Admin admin = Admin.create(kafkaOptions.settings().base())) {
            TopicSetup.ensureTopics(admin, topics, partitions, replicationFactor);
        }
        try (var server = WorkerCommands.serveMetrics(metricsPort, metrics, List.of())) {
            return publishAndWait(kafkaOptions.settings(), topics, scan, contentMode,
                neo4jOptions.isSet() ? neo4jOptions.settings() : null, Optional::empty, Duration.ZERO);
        }
    }

    /**
     * What this command scans: the repository, the folders given, what the walk found there and how long it took, and
     * the hashing of the files found, under way.
     */
    private record Scan(String repo, Path repository, List<String> folders, WalkResult walk, Duration walking,
                        CompletableFuture<Hashing> hashing) {}

    private record Hashing(DigestedFile.Hashed hashed, Duration duration) {}

    private static String nameOf(Path repository) {
        Path name = repository.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("the repository root " + repository + " has no name; give one with --repo");
        }
        return name.toString();
    }

    /** The scanned folders relative to the repository root, '/'-separated; "" for the root itself. */
    private List<String> scannedFolders(Path repository) {
        return roots.stream()
            .map(root -> repository.relativize(root.toAbsolutePath().normalize()).toString().replace(java.io.File.separatorChar, '/'))
            .toList();
    }

    private int publishAndWait(KafkaSettings kafka, Topics topics, Scan scan, SourcePublisher.Mode contentMode,
                               Neo4jSettings neo4jForSummary, Supplier<Optional<Throwable>> workerFailure,
                               Duration startup) throws InterruptedException, ExecutionException {
        Clock clock = Clock.systemUTC();
        String scanId = ScanId.next(scan.repo(), clock);
        // One version for every file of the scan: writers keep, per file, the graph of the newest scan.
        long version = clock.millis();
        long start = System.nanoTime();
        try (var producer = KafkaClients.producer(kafka, "ast2graph-producer-" + scanId);
             var manifest = new ManifestStore(KafkaClients.reader(kafka, "ast2graph-manifest-" + scanId), producer,
                 topics.manifest(), scan.repo())) {
            Map<String, ManifestEntry> previous = manifest.load(MANIFEST_TIMEOUT);
            Hashing hashing = scan.hashing().join();
            DigestedFile.Hashed hashed = hashing.hashed();
            List<Skipped> leftOut = new ArrayList<>(scan.walk().skipped());
            leftOut.addAll(hashed.unreadable());
            ChangeSet changes = ChangeSet.between(previous, hashed.files(), leftOut, scan.folders(), full);
            Duration detection = Duration.ofNanos(System.nanoTime() - start);
            log.info("scan {}: {} added, {} changed, {} deleted, {} unchanged (manifest of {} files read and {} files hashed in {} ms)",
                scanId, changes.added(), changes.changed(), changes.deleted().size(), changes.unchanged(), previous.size(),
                hashed.files().size(), detection.toMillis());

            var publisher = new SourcePublisher(producer, topics, SourcePublisher.Settings.defaults(contentMode), clock);
            PublishResult published;
            ScanProgress progress;
            ScanReport watcherReport;
            long deadline = timeoutSeconds > 0 ? start + Duration.ofSeconds(timeoutSeconds).toNanos() : Long.MAX_VALUE;
            try (ScanWatcher watcher = new ScanWatcher(kafka, topics.events(), scanId);
                 ProgressView view = ProgressView.choose(noProgress, scanId);
                 ExecutorService background = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("publish-" + scanId).factory())) {
                watcherReport = watcher.report();
                // Publishing runs beside the watching, so the view shows files parsed and written while more go out.
                Future<PublishResult> publishing = background.submit(() -> publisher.publish(scanId, scan.repo(), version, changes));
                do {
                    progress = watcher.poll(Duration.ofMillis(200));
                    progress.publishedLocally(publisher.publishedSoFar());
                    view.update(progress);
                    String stopped = stopReason(publishing, workerFailure, deadline, progress);
                    if (stopped != null) {
                        publishing.cancel(/* mayInterruptIfRunning= */ true);
                        out.println("ast2graph: scan " + scanId + " could not complete: " + stopped);
                        return 1;
                    }
                } while (!(publishing.isDone() && progress.complete()));
                published = publishing.get();
            }
            Counter.builder("ast2graph.files.published").description("files the producer published")
                .register(metrics).increment(published.published());
            try {
                int recorded = recordManifest(manifest, scan.repo(), scanId, version, published, progress);
                log.debug("scan {}: {} manifest records written", scanId, recorded);
            } catch (PublishException | IllegalStateException e) {
                // The graph is complete; only the next scan's shortcut is lost: it publishes these files again.
                log.warn("scan {}: the graph is complete, but its manifest could not be recorded, so the next scan "
                    + "publishes these files again: {}", scanId, e.getMessage());
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            leftOut.addAll(published.skipped());
            printSummary(scanId, scan, changes, published, leftOut, progress, elapsed, detection, hashing.duration(),
                startup, neo4jForSummary);
            report(watcherReport, scan.repo(), leftOut.size(), startup, clock, neo4jForSummary);
            return progress.failed() > 0 ? 2 : 0;
        }
    }

    /** Why the scan must stop now, or null while it can go on. */
    private String stopReason(Future<PublishResult> publishing, Supplier<Optional<Throwable>> workerFailure,
                              long deadline, ScanProgress progress) throws InterruptedException {
        if (publishing.isDone()) {
            try {
                publishing.get();
            } catch (ExecutionException e) {
                return "publishing failed: " + e.getCause().getMessage();
            }
        }
        Optional<Throwable> failure = workerFailure.get();
        if (failure.isPresent()) {
            return "a worker stopped: " + failure.get().getMessage();
        }
        if (System.nanoTime() > deadline) {
            return String.format("it did not complete within %d s: %d of %s records written", timeoutSeconds,
                progress.written(), progress.expected() < 0 ? "?" : progress.expected());
        }
        return null;
    }

    /**
     * Records in the manifest what the writers committed, so the next scan publishes only what changes after it. A
     * file that failed is left out: the next scan publishes it again.
     */
    private static int recordManifest(ManifestStore manifest, String repo, String scanId, long version,
                                      PublishResult published, ScanProgress progress) throws InterruptedException {
        List<ManifestEntry> entries = new ArrayList<>();
        published.sha256ByPath().forEach((path, sha) -> {
            if (progress.wasWritten(path)) {
                entries.add(new ManifestEntry(repo, path, sha, version, scanId));
            }
        });
        Map<String, Long> deletions = new LinkedHashMap<>();
        for (String path : published.deleted()) {
            if (progress.wasWritten(path)) {
                deletions.put(path, version);
            }
        }
        return manifest.record(entries, deletions, MANIFEST_TIMEOUT);
    }

    /** The nodes and relationships in the whole database. */
    private static long[] graphCounts(Neo4jSettings neo4j) {
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(5)), neo4j.database())) {
            var counts = writer.read("CALL () { MATCH (n) WHERE NOT n:LinkLock RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels", Map.of());
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

    private void printSummary(String scanId, Scan scan, ChangeSet changes, PublishResult published,
                              List<Skipped> skipped, ScanProgress progress, Duration elapsed, Duration detection,
                              Duration hashing, Duration startup,
                              Neo4jSettings neo4j) {
        // The whole scan but the servers' start: the walk happened before they started, the rest after.
        double seconds = Math.max((scan.walking().toMillis() + elapsed.toMillis()) / 1000.0, 0.001);
        out.printf("ast2graph: scan %s of repo '%s' complete%n", scanId, scan.repo());
        out.printf("  files      %d published, %d written, %d with parse problems, %d failed, %d skipped%n",
            published.published(), progress.written(), progress.filesWithProblems(), progress.failed(),
            skipped.size());
        out.printf("  changes    %d added, %d changed, %d deleted, %d unchanged%s%n",
            changes.added(), changes.changed(), changes.deleted().size(), changes.unchanged(),
            full ? " (--full: every file published)" : "");
        out.printf("  time       %.1f s: walk %.1f s, manifest and changes %.1f s, publish to written %.1f s (%.1f files/s)%n",
            seconds, scan.walking().toMillis() / 1000.0, detection.toMillis() / 1000.0,
            (elapsed.toMillis() - detection.toMillis()) / 1000.0, progress.written() / seconds);
        out.printf("             hashing %d files took %.1f s%s%n", changes.toPublish().size() + changes.unchanged(),
            hashing.toMillis() / 1000.0, startup.isZero() ? ""
                : String.format(", beside %.1f s to start the embedded servers (not counted above)", startup.toMillis() / 1000.0));
        if (neo4j != null) {
            try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(5)), neo4j.database())) {
                var counts = writer.read("CALL () { MATCH (n) WHERE NOT n:LinkLock RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels", Map.of());
                if (!counts.isEmpty()) {
                    out.printf("  graph      %s nodes, %s relationships in the database%n",
                        counts.getFirst().get("nodes"), counts.getFirst().get("rels"));
                }
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
        skipped.stream().limit(10).forEach(s -> out.printf("  skipped    %s: %s%n", s.relativePath(), s.reason()));
    }
}
