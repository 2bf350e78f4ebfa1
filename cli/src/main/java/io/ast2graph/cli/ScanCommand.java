package io.ast2graph.cli;

import io.ast2graph.common.kafka.DownstreamUnavailableException;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.model.ManifestEntry;
import io.ast2graph.producer.ChangeSet;
import io.ast2graph.producer.DigestedFile;
import io.ast2graph.producer.HashCache;
import io.ast2graph.producer.ManifestStore;
import io.ast2graph.producer.PublishException;
import io.ast2graph.producer.PublishResult;
import io.ast2graph.producer.ScanId;
import io.ast2graph.producer.Skipped;
import io.ast2graph.producer.SourcePublisher;
import io.ast2graph.producer.SourceWalker;
import io.ast2graph.producer.WalkResult;
import io.ast2graph.writer.BulkImportCsv;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.common.json.Json;
import io.ast2graph.common.observe.MetricsServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code ast2graph scan DIR...}: publishes every Java file of the folders and returns once the writers committed
 * all of them to Neo4j. Without {@code --bootstrap-servers} it runs the embedded default (broker, database and
 * workers in this process), unless an {@code ast2graph serve} runs on the same {@code --data-dir}: then, as with
 * {@code --bootstrap-servers}, it publishes to that pipeline and follows the workers' progress from its events topic.
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
        + "(a path under the repository root, which workers mount). Default: REFERENCE for the embedded default, else (a cluster, a serve) INLINE.")
    SourcePublisher.Mode mode;

    @Option(names = "--include", paramLabel = "GLOB", description = "Only files matching (repeatable; default **/*.java).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files matching (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--max-file-size", defaultValue = "4m", description = "Larger files are reported, not sent (default: ${DEFAULT-VALUE}).")
    String maxFileSize;

    @Option(names = "--bulk", negatable = true, description = "How a first scan into a new embedded database (a "
        + "--data-dir without one) is loaded. By default, one of at least --bulk-min-files files goes through Neo4j's bulk "
        + "importer once every file is parsed, linked in memory: the writers' graph, in a fraction of their time (0.4x on "
        + "the JDK's java.base). --bulk asks for it whatever the size, --no-bulk writes through the writers. A load "
        + "whose serialized fragments exceed 25% of the heap (they are held in memory until the import; -Xmx4g takes "
        + "about 900 MiB, the JDK's whole src.zip: 15,224 files, 811 MiB), or whose import fails, goes through the writers.")
    Boolean bulk;

    @Option(names = "--bulk-min-files", defaultValue = "200", paramLabel = "N", description = "The fewest files of a "
        + "first scan that the bulk importer loads unasked (default: ${DEFAULT-VALUE}; on java.base's first 200 files it "
        + "took 0.67x the writers' time, on 50 about the same).")
    int bulkMinFiles;

    /**
     * The share of the heap that a bulk load's fragments may take serialized; hidden, for tests of the writers'
     * fallback. Read back with one instance of each string ({@code StringPool}), they take less than that in memory,
     * and the load's tables about as much again: java.base, 197 MiB of JSON, peaked at 505 MiB of live heap (795 MiB
     * before the pool), the servers' 117 MiB included. At the edge, the JDK's whole src.zip (811 MiB) with
     * {@code -Xmx3700m}, its fragments 24.5% of the heap, loaded in 136 s, its live heap at most 2.3 GiB (61%), with
     * one full collection of 2.7 s.
     */
    @Option(names = "--bulk-heap-share", defaultValue = "0.25", hidden = true)
    double bulkHeapShare;

    @Mixin LocalWorkerOptions workers;

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
    /**
     * The inline limit through a serve: its broker and topics take messages up to {@link KafkaClients#MAX_MESSAGE_BYTES},
     * and its parsers mount no source folder, so a file over a cluster's 1 MiB default (base64 in JSON: an 885 KB
     * source, as JDK 25's {@code IBM964.java}) must still go inline. Headroom for the key and the record's framing.
     */
    static final int SERVED_INLINE_LIMIT = KafkaClients.MAX_MESSAGE_BYTES - 64 * 1024;

    private final PrintStream out;
    private final Caller caller;
    /** The meters of this run: the embedded workers' and the producer's; served when --metrics-port is set. */
    private PrometheusMeterRegistry metrics;

    ScanCommand() {
        this(System.out);
    }

    ScanCommand(PrintStream out) {
        this(out, Caller.thisProcess());
    }

    ScanCommand(PrintStream out, Caller caller) {
        this.out = out;
        this.caller = caller;
    }

    /**
     * The process that asked for the scan: this one, or a command that handed its scan to this serve ({@link Handoff}).
     *
     * @param terminal    whether its standard error is an interactive terminal
     * @param columns     that terminal's width, or 0 if unknown
     * @param startMillis when its process started
     * @param err         its standard error, for the progress bar
     * @param handedOff   whether it is another process, whose scan this serve runs
     */
    record Caller(boolean terminal, int columns, long startMillis, PrintStream err, boolean handedOff) {
        static Caller thisProcess() {
            return new Caller(Terminal.isInteractive(), 0,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime(), System.err, false);
        }

        static Caller handedOff(Handoff.Request request, PrintStream err) {
            String term = request.env().get("TERM");
            return new Caller(request.terminal() && term != null && !term.equals("dumb"), request.columns(),
                request.startMillis(), err, true);
        }
    }

    @Override
    public Integer call() throws Exception {
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
        List<String> folders = scannedFolders(repository);
        Path cacheFile = hashCacheFile(embeddedOptions.dataDir, repoName, repository);
        // The producer's own work (walk, hashing) needs no server: it runs while they start. Its own thread, not the
        // common pool: hashAll's parallel stream runs on the common pool plus the calling thread, and a common-pool
        // caller would leave a 2-core machine hashing on one thread.
        // The walk's file count comes before the hashes: a first scan decides on it how to load.
        CompletableFuture<Integer> walked = new CompletableFuture<>();
        CompletableFuture<Found> found = CompletableFuture.supplyAsync(
            () -> find(walkSettings, repository, folders, cacheFile, walked),
            task -> Thread.ofPlatform().name("walk-and-hash").daemon().start(task));
        found.whenComplete((result, failure) -> {
            if (failure != null) {
                walked.completeExceptionally(failure);
            }
        });
        var scan = new Scan(repoName, repository, folders, found, walked);
        // After the walk started: the registry's JVM binders take a few hundred ms of a cold JVM.
        metrics = MetricsServer.registryWithJvmMetrics();

        if (Boolean.TRUE.equals(bulk) && (kafkaOptions.isSet() || caller.handedOff())) {
            throw new IllegalArgumentException("--bulk loads the embedded default's own new database; it cannot go "
                + (caller.handedOff() ? "through a serve" : "to a cluster (--bootstrap-servers)"));
        }
        if (kafkaOptions.isSet() && !caller.handedOff()) {
            return throughCluster(kafkaOptions.settings(), kafkaOptions.topics(), scan,
                neo4jOptions.isSet() ? neo4jOptions.settings() : null, Optional::empty, true,
                SourcePublisher.Settings.DEFAULT_MAX_MESSAGE_BYTES);
        }
        switch (DataDir.claim(embeddedOptions.dataDir)) {
            case DataDir.Served served -> {
                ServeFile serve = served.serve();
                if (Boolean.TRUE.equals(bulk)) {
                    throw new IllegalArgumentException("--bulk loads the embedded default's own new database, and a serve "
                        + "runs on --data-dir " + embeddedOptions.dataDir + "; stop it, or scan without --bulk");
                }
                if (mode == SourcePublisher.Mode.REFERENCE) {
                    throw new IllegalArgumentException("--mode REFERENCE cannot go through the serve on --data-dir "
                        + embeddedOptions.dataDir + ": its parsers mount no source folder; leave --mode out (INLINE)");
                }
                out.println("ast2graph: scanning through the serve on --data-dir "
                    + embeddedOptions.dataDir.toAbsolutePath().normalize() + " (" + serve.describe() + ")"
                    + (caller.handedOff() ? ", handed to it: it walks, hashes and publishes in its own process" : ""));
                // Like a cluster's workers, the serve's run elsewhere: this scan sees only that the process is gone.
                Supplier<Optional<Throwable>> serveGone = () -> serve.processAlive() ? Optional.empty()
                    : Optional.of(new IllegalStateException("the serve (pid " + serve.pid() + ") stopped"));
                return throughCluster(kafkaOptions.settings(serve.bootstrapServers()), Topics.withPrefix(serve.topicPrefix()),
                    scan, Neo4jSettings.noAuth(serve.boltUri()), serveGone, false, SERVED_INLINE_LIMIT);
            }
            case DataDir.Owned owned -> {
                if (caller.handedOff()) {
                    owned.close();
                    // A serve runs handed-off scans through its own pipeline, never servers of their own inside it.
                    throw new IllegalStateException("a scan handed to the serve names the data folder "
                        + embeddedOptions.dataDir + ", which no serve holds");
                }
                try (owned) {
                    return embedded(scan, kafkaOptions.topics());
                }
            }
        }
    }

    /** The embedded default: broker, database and workers started in this process, for this scan. */
    private int embedded(Scan scan, Topics topics) throws Exception {
        CompilerDirectives.parserOnC1();
        SourcePublisher.Mode contentMode = mode != null ? mode : SourcePublisher.Mode.REFERENCE;
        boolean newDatabase = !Files.exists(BulkFirstLoad.neo4jHome(embeddedOptions.dataDir));
        if (Boolean.TRUE.equals(bulk) && !newDatabase) {
            throw new IllegalArgumentException("--bulk loads a new database, and --data-dir " + embeddedOptions.dataDir
                + " has one already: scan without --bulk (only what changed is written), or give a new --data-dir");
        }
        // Unasked, by the number of files the walk finds: Neo4j starts beside the broker as soon as the count says
        // the writers will write (the walk usually ends before the broker is up).
        CompletableFuture<Boolean> bulkLoading = !newDatabase || Boolean.FALSE.equals(bulk)
            ? CompletableFuture.completedFuture(false)
            : Boolean.TRUE.equals(bulk) ? CompletableFuture.completedFuture(true)
            : scan.walked().thenApply(files -> files >= bulkMinFiles);
        long start = System.nanoTime();
        try (LocalPipeline pipeline = LocalPipeline.startBroker(embeddedOptions.dataDir, embeddedOptions.boltPort,
                embeddedOptions.pageCacheBytes(), bulkLoading.thenApply(bulkLoad -> !bulkLoad))) {
            boolean bulkLoad = await(bulkLoading);
            int parsers = workers.parserThreads();
            // Workers resolve reference locations, which are relative to the repository root, against it.
            Optional<Path> sourceRoot = contentMode == SourcePublisher.Mode.REFERENCE ? Optional.of(scan.repository()) : Optional.empty();
            // Parsers need only the broker: their group settles while Neo4j starts.
            pipeline.startParsers(topics, parsers, sourceRoot, metrics, /* warmUp= */ !bulkLoad);
            KafkaSettings kafka = pipeline.kafka();
            try (var producer = KafkaClients.producer(kafka, "ast2graph-producer-" + clientSuffix(scan.repo()));
                 var manifest = new ManifestStore(KafkaClients.reader(kafka, "ast2graph-manifest-" + clientSuffix(scan.repo())),
                     producer, topics.manifest(), scan.repo())) {
                // The manifest is read and compared while Neo4j starts and the writers compile their plans.
                CompletableFuture<Changes> detecting = CompletableFuture.supplyAsync(() -> detect(manifest, scan),
                    task -> Thread.ofPlatform().name("detect-changes").daemon().start(task));
                // A bulk load starts Neo4j and the writers only once every file is parsed and imported.
                Runnable whenParsed = () -> { };
                if (bulkLoad) {
                    whenParsed = () -> bulkLoad(pipeline, topics, producer);
                } else {
                    pipeline.startWriters(topics, workers.writerThreads, metrics);
                }
                Duration startup = Duration.ofNanos(System.nanoTime() - start);
                Changes changes = await(detecting);
                if (bulkLoad && changes.manifestFiles() > 0) {
                    if (Boolean.TRUE.equals(bulk)) {
                        throw new IllegalArgumentException("--bulk is for a first scan, and repo '" + scan.repo()
                            + "' was scanned into --data-dir " + embeddedOptions.dataDir + " before; scan without --bulk");
                    }
                    // A manifest without a database (its folder removed by hand): the writers write what changed.
                    whenParsed = () -> { };
                    writeThroughWriters(pipeline, topics, "repo '" + scan.repo() + "' was scanned into this data folder before");
                }
                try (var server = WorkerCommands.serveMetrics(metricsPort, metrics, pipeline.workerGroups())) {
                    String scanId = ScanId.next(scan.repo(), Clock.systemUTC());
                    return publishAndWait(producer, manifest, topics, scan, changes,
                        SourcePublisher.Settings.defaults(contentMode), pipeline::neo4j, pipeline::workerFailure, startup,
                        scanId, new ScanWatcher(kafka, topics.events(), scanId), whenParsed);
                }
            }
        }
    }

    /**
     * Publishes to a running pipeline, a cluster or a serve, whose workers run elsewhere: content inline by default,
     * since those workers need not mount the sources.
     *
     * @param createTopics whether to create missing topics (a serve created its own)
     * @param inlineLimit  the largest message to send inline; a larger file goes by reference
     */
    private int throughCluster(KafkaSettings kafka, Topics topics, Scan scan, Neo4jSettings neo4jForSummary,
                               Supplier<Optional<Throwable>> workerFailure, boolean createTopics, int inlineLimit)
        throws Exception {
        SourcePublisher.Mode contentMode = mode != null ? mode : SourcePublisher.Mode.INLINE;
        var defaults = SourcePublisher.Settings.defaults(contentMode);
        var publishing = new SourcePublisher.Settings(contentMode, inlineLimit, defaults.referenceFallback(),
            defaults.maxInFlight(), defaults.maxInFlightBytes());
        if (createTopics) {
            try (Admin admin = Admin.create(kafka.base())) {
                TopicSetup.ensureTopics(admin, topics, partitions, replicationFactor);
            }
        }
        try (var producer = KafkaClients.producer(kafka, "ast2graph-producer-" + clientSuffix(scan.repo()));
             var manifest = new ManifestStore(KafkaClients.reader(kafka, "ast2graph-manifest-" + clientSuffix(scan.repo())), producer,
                 topics.manifest(), scan.repo());
             var server = WorkerCommands.serveMetrics(metricsPort, metrics, List.of())) {
            // The watcher's consumer finds the events topic's end while the manifest is read: a rescan waits for both.
            String scanId = ScanId.next(scan.repo(), Clock.systemUTC());
            CompletableFuture<ScanWatcher> watching = CompletableFuture.supplyAsync(
                () -> new ScanWatcher(kafka, topics.events(), scanId),
                task -> Thread.ofPlatform().name("watch-" + scanId).daemon().start(task));
            Changes changes;
            try {
                changes = detect(manifest, scan);
            } catch (RuntimeException e) {
                watching.thenAccept(ScanWatcher::close);
                throw e;
            }
            return publishAndWait(producer, manifest, topics, scan, changes, publishing,
                () -> neo4jForSummary, workerFailure, Duration.ZERO, scanId, await(watching), () -> { });
        }
    }

    /** What this command scans: the repository, the folders given, and the walk and hashing of its files, under way. */
    /** @param walked the number of files the walk found, known before {@code found} (which adds their hashes) */
    private record Scan(String repo, Path repository, List<String> folders, CompletableFuture<Found> found,
                        CompletableFuture<Integer> walked) {}

    /** What the walk found, the hashes of those files, and how long each took. */
    private record Found(WalkResult walk, Duration walking, DigestedFile.Hashed hashed, Duration hashing) {}

    /**
     * What this scan publishes, and how long finding it out took.
     *
     * @param leftOut what the walk and the hashing skipped
     * @param ready   from the command's start until the change set was known
     */
    private record Changes(Found found, int manifestFiles, ChangeSet changes, List<Skipped> leftOut,
                           Duration manifestAndChanges, Duration ready) {}

    /** The nano time this command started at: the scan's producer part is measured from it. */
    private final long commandStart = System.nanoTime();

    /**
     * Walks and hashes, through this machine's hash cache (not trusted with {@code --full}, which reads every file),
     * and saves what it learned there: what a file's bytes hash to does not depend on the scan completing.
     */
    private Found find(SourceWalker.Settings walkSettings, Path repository, List<String> folders, Path cacheFile,
                       CompletableFuture<Integer> walked) {
        Instant walkStarted = Instant.now();
        long walkStart = System.nanoTime();
        WalkResult walk;
        try {
            walk = new SourceWalker(walkSettings).walk(repository, roots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Duration walking = Duration.ofNanos(System.nanoTime() - walkStart);
        log.info("walked {} files under {} in {} ms", walk.files().size(), repository, walking.toMillis());
        walked.complete(walk.files().size());
        long hashStart = System.nanoTime();
        HashCache cache = HashCache.load(cacheFile);
        // --full trusts no stat: every file is read, and what is learned replaces the cache's entries.
        DigestedFile.Hashed hashed = DigestedFile.hashAll(walk.files(), full ? null : cache);
        Duration hashing = Duration.ofNanos(System.nanoTime() - hashStart);
        try {
            int saved = cache.save(hashed.files(), walkStarted, path -> !ChangeSet.isScanned(path, folders));
            log.debug("hash cache {}: {} entries saved", cacheFile, saved);
        } catch (IOException | RuntimeException e) {
            // Only the next scan's shortcut is lost: it reads every file again.
            log.warn("cannot save the hash cache {}; the next scan hashes every file again: {}", cacheFile, e.toString());
        }
        log.info("hashed {} files in {} ms ({} from this machine's hash cache)", hashed.files().size(),
            hashing.toMillis(), hashed.fromCache());
        return new Found(walk, walking, hashed, hashing);
    }

    /** Reads the manifest, waits for the walk and hashing, and compares. */
    private Changes detect(ManifestStore manifest, Scan scan) {
        long start = System.nanoTime();
        Map<String, ManifestEntry> previous = manifest.load(MANIFEST_TIMEOUT);
        Found found = await(scan.found());
        List<Skipped> leftOut = new ArrayList<>(found.walk().skipped());
        leftOut.addAll(found.hashed().unreadable());
        ChangeSet changes = ChangeSet.between(previous, found.hashed().files(), leftOut, scan.folders(), full);
        long end = System.nanoTime();
        log.info("{} added, {} changed, {} deleted, {} unchanged (manifest of {} files read and compared in {} ms)",
            changes.added(), changes.changed(), changes.deleted().size(), changes.unchanged(), previous.size(),
            (end - start) / 1_000_000);
        return new Changes(found, previous.size(), changes, leftOut, Duration.ofNanos(end - start),
            Duration.ofNanos(end - commandStart));
    }

    /** Names this command's Kafka clients apart from those of another scan of the repository running meanwhile. */
    private static String clientSuffix(String repo) {
        return repo + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /** The result of a task on another thread, with its own exception rather than a CompletionException. */
    private static <T> T await(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (java.util.concurrent.CompletionException e) {
            switch (e.getCause()) {
                case UncheckedIOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }

    /**
     * This machine's hash cache of one repository checkout: under the data folder, named by the repository and its
     * folder, since the cached paths are relative to that folder and the stats belong to this machine.
     */
    static Path hashCacheFile(Path dataDir, String repo, Path repository) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(repository.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        return dataDir.resolve("hash-cache").resolve(repo + "-" + java.util.HexFormat.of().formatHex(digest, 0, 8) + ".bin");
    }

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

    private int publishAndWait(KafkaProducer<String, byte[]> producer, ManifestStore manifest,
                               Topics topics, Scan scan, Changes detected, SourcePublisher.Settings publishSettings,
                               Supplier<Neo4jSettings> neo4jForSummary, Supplier<Optional<Throwable>> workerFailure,
                               Duration startup, String scanId, ScanWatcher scanWatcher, Runnable whenParsed)
        throws InterruptedException, ExecutionException {
        Clock clock = Clock.systemUTC();
        // One version for every file of the scan: writers keep, per file, the graph of the newest scan.
        long version = clock.millis();
        long start = System.nanoTime();
        ChangeSet changes = detected.changes();
        List<Skipped> leftOut = new ArrayList<>(detected.leftOut());
        log.info("scan {}: publishing {} records", scanId, changes.size());
        var publisher = new SourcePublisher(producer, topics, publishSettings, clock);
        PublishResult published;
        ScanProgress progress;
        ScanReport watcherReport;
        long deadline = timeoutSeconds > 0 ? start + Duration.ofSeconds(timeoutSeconds).toNanos() : Long.MAX_VALUE;
        try (ScanWatcher watcher = scanWatcher;
             ProgressView view = ProgressView.choose(noProgress, caller.terminal(), caller.columns(), caller.err(), scanId);
             ExecutorService background = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("publish-" + scanId).factory())) {
            watcherReport = watcher.report();
            // Publishing runs beside the watching, so the view shows files parsed and written while more go out.
            Future<PublishResult> publishing = background.submit(() -> publisher.publish(scanId, scan.repo(), version, changes));
            boolean parsedAll = false;
            do {
                progress = watcher.poll(Duration.ofMillis(200));
                progress.publishedLocally(publisher.publishedSoFar());
                view.update(progress);
                if (!parsedAll && publishing.isDone() && progress.parsedAll()) {
                    parsedAll = true;
                    whenParsed.run();
                }
                String stopped = stopReason(publishing, workerFailure, deadline, progress);
                if (stopped != null) {
                    publishing.cancel(/* mayInterruptIfRunning= */ true);
                    out.println("ast2graph: scan " + scanId + " could not complete: " + stopped);
                    return 1;
                }
            } while (!(publishing.isDone() && progress.complete()));
            published = publishing.get();
        }
        Duration pipeline = Duration.ofNanos(System.nanoTime() - start);
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
        leftOut.addAll(published.skipped());
        GraphCounts graph = graphCounts(neo4jForSummary.get());
        printSummary(scanId, scan, detected, published, leftOut, progress, pipeline, startup, publishSettings.mode(), graph);
        report(watcherReport, scan.repo(), leftOut.size(), startup, clock, graph);
        return progress.failed() > 0 ? 2 : 0;
    }

    /**
     * {@code --bulk}, once every file is parsed: the fragments imported into the new database before Neo4j starts, its
     * schema created, the files reported written and the writers' offsets committed past them; then the writers are
     * started for whatever the load left to them.
     */
    private void bulkLoad(LocalPipeline pipeline, Topics topics, KafkaProducer<String, byte[]> producer) {
        long start = System.nanoTime();
        long maxBytes = (long) (bulkHeapShare * Runtime.getRuntime().maxMemory());
        Optional<BulkFirstLoad.Read> fragments = BulkFirstLoad.readFragments(pipeline.kafka(), topics.fragments(), maxBytes);
        if (fragments.isEmpty()) {
            writeThroughWriters(pipeline, topics, String.format("its fragments exceed %.0f%% of the heap (%d MiB)",
                bulkHeapShare * 100, maxBytes >> 20));
            return;
        }
        BulkFirstLoad.Read read = fragments.get();
        long readBack = System.nanoTime();
        int threads = Math.max(1, workers.writerThreads);
        BulkImportCsv.Input input;
        try {
            input = BulkFirstLoad.importInto(BulkFirstLoad.neo4jHome(embeddedOptions.dataDir), read.fragments(), threads);
        } catch (BulkFirstLoad.ImportFailedException e) {
            writeThroughWriters(pipeline, topics, e.getMessage());
            return;
        }
        long imported = System.nanoTime();
        pipeline.startNeo4j();
        BulkFirstLoad.finish(pipeline.neo4j(), input);
        long finished = System.nanoTime();
        try {
            BulkFirstLoad.reportWritten(pipeline.kafka(), producer, topics.events(), WriterConfig.DEFAULT_GROUP, read,
                TimeUnit.NANOSECONDS.toMicros(finished - start), Clock.systemUTC());
        } catch (DownstreamUnavailableException e) {
            throw new IllegalStateException("the bulk load's files are in the graph, but reporting them written failed: "
                + e.getMessage(), e);
        }
        log.info("bulk load of {} fragments ({} MiB): read {} ms, linked and imported {} ms, schema and late lists {} ms (Neo4j's start included), reported {} ms",
            read.fragments().size(), read.bytes() >> 20, (readBack - start) / 1_000_000, (imported - readBack) / 1_000_000,
            (finished - imported) / 1_000_000, (System.nanoTime() - finished) / 1_000_000);
        // What the writers find is only what the load left: no plans to compile for writes.
        pipeline.startWriters(topics, workers.writerThreads, metrics, false);
    }

    /** The bulk load cannot go on: Neo4j starts on a new database and the writers write every fragment into it. */
    private void writeThroughWriters(LocalPipeline pipeline, Topics topics, String why) {
        log.warn("no bulk load: {}; the writers write the graph instead", why);
        pipeline.startNeo4j();
        pipeline.startWriters(topics, workers.writerThreads, metrics);
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

    /**
     * The nodes and relationships in the whole database, counted once for the summary and the report, from Neo4j's
     * count store (on the JDK's graph 0.4 s less than a count that filters the nodes).
     *
     * @return empty, with why it could not be counted
     */
    private static GraphCounts graphCounts(Neo4jSettings neo4j) {
        if (neo4j == null) {
            return new GraphCounts(-1, -1, null);
        }
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(5)), neo4j.database())) {
            // Each count alone is answered from Neo4j's count store; "WHERE NOT n:LinkLock" would read every node.
            var counts = writer.read("CALL () { MATCH (n) RETURN count(n) AS all } CALL () { MATCH (l:LinkLock) RETURN count(l) AS locks } "
                + "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN all - locks AS nodes, rels", Map.of());
            return new GraphCounts(((Number) counts.getFirst().get("nodes")).longValue(),
                ((Number) counts.getFirst().get("rels")).longValue(), null);
        } catch (RuntimeException e) {
            return new GraphCounts(-1, -1, e.getMessage());
        }
    }

    /** @param error why the database could not be counted; null if it was, or if there is none to count */
    private record GraphCounts(long nodes, long rels, String error) {
        boolean known() {
            return nodes >= 0;
        }
    }

    /** Prints the end-of-scan report and writes it to {@code --report FILE} if asked. */
    private void report(ScanReport events, String repoName, long skipped, Duration startup, Clock clock,
                        GraphCounts graph) {
        ScanReport.Report report = events.build(repoName, skipped, startup.toMillis(), clock.millis());
        if (graph.known()) {
            report = report.withGraph(graph.nodes(), graph.rels());
        }
        // Otherwise the summary above already said the database cannot be counted; the report keeps -1 (unknown).
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

    private void printSummary(String scanId, Scan scan, Changes detected, PublishResult published,
                              List<Skipped> skipped, ScanProgress progress, Duration pipeline, Duration startup,
                              SourcePublisher.Mode contentMode, GraphCounts graph) {
        ChangeSet changes = detected.changes();
        Found found = detected.found();
        out.printf("ast2graph: scan %s of repo '%s' complete%n", scanId, scan.repo());
        out.printf("  files      %d published, %d written, %d with parse problems, %d failed, %d skipped%n",
            published.published(), progress.written(), progress.filesWithProblems(), progress.failed(),
            skipped.size());
        out.printf("  changes    %d added, %d changed, %d deleted, %d unchanged%s%n",
            changes.added(), changes.changed(), changes.deleted().size(), changes.unchanged(),
            full ? " (--full: every file published)" : "");
        out.println(contentMode == SourcePublisher.Mode.INLINE
            ? "  content    inline, in the messages (a file over the message limit by reference)"
            : "  content    by reference, paths under " + scan.repository() + " as the workers mount it");
        // The command's time, split: the producer's part (walk, hashing, manifest and comparison), in the embedded
        // default beside the servers' start; then the pipeline from the first publish to the last file written.
        long sinceJvmStart = System.currentTimeMillis() - caller.startMillis();
        out.printf("  time       %.1f s publish to written (%.1f files/s), %.1f s since the command started%n",
            pipeline.toMillis() / 1000.0, progress.written() / Math.max(pipeline.toMillis() / 1000.0, 0.001),
            sinceJvmStart / 1000.0);
        out.printf("             before it: walk %.1f s, hashing %d files %.1f s (%d from this machine's hash cache), "
                + "manifest of %d files and changes %.1f s%s%n",
            found.walking().toMillis() / 1000.0, found.hashed().files().size(), found.hashing().toMillis() / 1000.0,
            found.hashed().fromCache(), detected.manifestFiles(), detected.manifestAndChanges().toMillis() / 1000.0,
            startup.isZero() ? ""
                : String.format("; all beside %.1f s to start the embedded servers and workers", startup.toMillis() / 1000.0));
        if (graph.known()) {
            out.printf("  graph      %d nodes, %d relationships in the database%n", graph.nodes(), graph.rels());
        } else if (graph.error() != null) {
            out.println("  graph      (cannot count: " + graph.error() + ")");
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
