package io.ast2graph.cli;

import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.observe.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ast2graph serve}: keeps the whole embedded pipeline of a data folder up (broker, Neo4j with Bolt on
 * localhost, parser and writer workers, warmed up) until interrupted. A {@code scan}, {@code query}, {@code status}
 * or {@code rebuild} on the same {@code --data-dir} finds it through its {@link ServeFile} and uses it instead of
 * starting servers of its own, which is what makes a rescan take seconds rather than a minute. A {@code scan} goes
 * further: it hands itself over ({@link ServeClient}), and the serve walks, hashes and publishes in its warm JVM.
 *
 * <p>Its parsers mount no source folder (one serve takes scans of any repository), so scans through it send file
 * content inline.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Keep the embedded pipeline of --data-dir up until interrupted: Kafka broker, Neo4j (Bolt on "
        + "localhost, default port 7687, for Neo4j Browser or cypher-shell), parser and writer workers.",
        "scan, query, status and rebuild with the same --data-dir use it instead of starting their own servers; "
            + "a scan is handed to it and runs in its process (AST2GRAPH_NO_HANDOFF=1: in the scan's own)."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    static final int DEFAULT_BOLT_PORT = 7687;

    @Mixin EmbeddedOptions embeddedOptions;

    @Mixin LocalWorkerOptions workers;

    @Option(names = "--topic-prefix", defaultValue = "${env:AST2GRAPH_TOPIC_PREFIX:-ast2graph}",
        description = "Prefix of the pipeline's topics (default: ${DEFAULT-VALUE}); scans through this serve use it. Env: AST2GRAPH_TOPIC_PREFIX.")
    String topicPrefix;

    @Option(names = "--metrics-port", defaultValue = "${env:AST2GRAPH_METRICS_PORT:-0}",
        description = "Serve /metrics and /health/* of the workers on this port (default: 0, off). Env: AST2GRAPH_METRICS_PORT.")
    int metricsPort;

    private final PrintStream out;

    ServeCommand() {
        this(System.out);
    }

    ServeCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Running running = start();
        CountDownLatch stopping = new CountDownLatch(1);
        // The JVM runs hooks on SIGINT/SIGTERM and then halts: the cleanup must happen in the hook, not after it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            running.close();
        }, "serve-stop"));
        out.println("ast2graph: serving " + running.dataDir + " (Kafka " + running.file.bootstrapServers() + ", Neo4j at "
            + running.file.boltUri() + ", no authentication, localhost only); scan, query and status with this "
            + "--data-dir go through it. Ctrl-C stops.");
        while (!stopping.await(1, TimeUnit.SECONDS)) {
            Optional<Throwable> failure = running.pipeline.workerFailure();
            if (failure.isPresent()) {
                // A serve whose workers are gone would take scans and never finish them: stop, so scans see it gone.
                log.error("a worker stopped: {}; shutting the serve down", failure.get().getMessage());
                running.close();
                return 1;
            }
        }
        return 0;
    }

    /**
     * Starts everything, then writes the serve file.
     *
     * @throws IllegalArgumentException if another ast2graph holds the data folder
     */
    Running start() throws Exception {
        Path dir = embeddedOptions.dataDir.toAbsolutePath().normalize();
        DataDir.Owned owned = switch (DataDir.claim(dir)) {
            case DataDir.Owned o -> o;
            case DataDir.Served served -> throw new IllegalArgumentException("a serve already runs on --data-dir " + dir
                + " (" + served.serve().describe() + "); scans with this --data-dir use it");
        };
        LocalPipeline pipeline = null;
        AutoCloseable metricsServer = null;
        ServeControl control = null;
        try {
            int port = embeddedOptions.boltPort == 0 ? DEFAULT_BOLT_PORT : embeddedOptions.boltPort;
            long start = System.nanoTime();
            pipeline = LocalPipeline.startBroker(dir, port, embeddedOptions.pageCacheBytes());
            Topics topics = Topics.withPrefix(topicPrefix);
            PrometheusMeterRegistry metrics = MetricsServer.registryWithJvmMetrics();
            int parsers = workers.parserThreads();
            // No source root: one serve takes scans of any folder, so their content comes inline.
            pipeline.startParsers(topics, parsers, Optional.empty(), metrics);
            pipeline.startWriters(topics, workers.writerThreads, metrics);
            metricsServer = WorkerCommands.serveMetrics(metricsPort, metrics, pipeline.workerGroups());
            ServeFile file = ServeFile.ofThisProcess(pipeline.kafka().bootstrapServers(), pipeline.neo4jServer().boltUri(),
                topicPrefix);
            // Before the serve file: a command that finds the file finds the socket too.
            ForwardedLog.install();
            control = ServeControl.listen(dir, Main::runHandedOff, Handoff.build());
            file.write(dir);
            log.info("serve up in {} ms: {}", (System.nanoTime() - start) / 1_000_000, file.describe());
            return new Running(dir, owned, pipeline, control, metricsServer, file);
        } catch (Exception | Error e) {
            closeQuietly(control);
            closeQuietly(metricsServer);
            if (pipeline != null) {
                pipeline.close();
            }
            try {
                owned.close();
            } catch (IOException unlock) {
                e.addSuppressed(unlock);
            }
            throw e;
        }
    }

    /** A started serve: closing removes its file first (no new scan comes), then stops everything and unlocks. */
    static final class Running implements AutoCloseable {
        final Path dataDir;
        final ServeFile file;
        private final DataDir.Owned owned;
        private final LocalPipeline pipeline;
        private final ServeControl control;
        private final AutoCloseable metricsServer;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Running(Path dataDir, DataDir.Owned owned, LocalPipeline pipeline, ServeControl control,
                        AutoCloseable metricsServer, ServeFile file) {
            this.dataDir = dataDir;
            this.owned = owned;
            this.pipeline = pipeline;
            this.control = control;
            this.metricsServer = metricsServer;
            this.file = file;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                ServeFile.delete(dataDir);
            } catch (IOException e) {
                // The lock goes with this process: the next command finds the file stale and removes it.
                log.warn("cannot remove the serve file in {}: {}", dataDir, e.toString());
            }
            // Scans handed over are interrupted, and their commands told, before the pipeline under them goes.
            control.close();
            closeQuietly(metricsServer);
            try {
                pipeline.close();
            } finally {
                try {
                    owned.close();
                } catch (IOException e) {
                    log.warn("cannot release the lock of {}: {}", dataDir, e.toString());
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("cannot close {}: {}", resource, e.toString());
        }
    }
}
