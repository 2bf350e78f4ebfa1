package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Workers as separate OS processes, killed the hard way mid-scan ({@code kill -9}: no shutdown hook, no commit) or
 * asked to stop (SIGTERM: drain, commit, exit within a bound). The graph must end equal to a clean run's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultsIT {
    private static final String PREFIX = "procfaults";
    private static final String REPO = "procfaults";
    @TempDir
    static Path tmp;
    @TempDir
    static Path logs;
    static Path corpus;
    static long files;
    static KafkaSettings kafka;
    static Neo4jSettings neo4j;
    static Neo4jGraphWriter graph;
    static GraphFingerprint.Fingerprint clean;
    static List<String> cleanLines;

    /** The graph equals the clean run's; on a difference, shows what differs. */
    private static void assertClean() {
        GraphDiff.assertSameGraph("the graph after the fault", cleanLines,
            GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING));
    }
    final List<WorkerProcess> processes = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        assumeTrue(Files.isRegularFile(srcZip), "this JDK ships no lib/src.zip (" + srcZip + ")");
        corpus = JavaBaseTypesIT.unzipModule(srcZip, "java.base/java/util/concurrent/", tmp).getParent().getParent().getParent();
        try (var walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).count();
        }
        kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, Topics.withPrefix(PREFIX), 6, (short) 1);
        }
        graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(10)), "");
    }

    @AfterAll
    static void close() {
        if (graph != null) graph.close();
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (WorkerProcess p : processes) {
            p.close();
        }
    }

    private WorkerProcess worker(String name, String kind) {
        Map<String, String> env = Map.of(
            "AST2GRAPH_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
            "AST2GRAPH_TOPIC_PREFIX", PREFIX,
            "AST2GRAPH_SOURCE_ROOT", corpus.toString(),
            "AST2GRAPH_PARSER_THREADS", "1",
            "AST2GRAPH_WRITER_THREADS", "1",
            "NEO4J_URI", neo4j.uri());
        List<String> command = List.of(kind, "--group", PREFIX + "-" + kind.replace("-worker", ""), "--partitions", "6");
        WorkerProcess process = WorkerProcess.start(name, kind.startsWith("parser") ? "256m" : "512m", command, env, logs);
        processes.add(process);
        return process;
    }

    private static void wipe() {
        try (var session = graph.driver().session()) {
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume();
        }
    }

    private static long written() {
        return (Long) graph.read("MATCH (f:File {repo: $repo}) RETURN count(f) AS n", Map.of("repo", REPO)).getFirst().get("n");
    }

    private static void awaitWritten(long atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (written() < atLeast) {
            assertThat(System.nanoTime()).as("waiting for %d files to be written", atLeast).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static CompletableFuture<String> scan() {
        return CompletableFuture.supplyAsync(() -> {
            var out = new ByteArrayOutputStream();
            int exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute("--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX, "--no-progress",
                    // --full: every test wipes the graph first, and an incremental rescan would publish nothing.
                    "--timeout", "600", "--repo", REPO, "--mode", "REFERENCE", "--full", corpus.toString());
            return exit + "\n" + out.toString(StandardCharsets.UTF_8);
        });
    }

    private static void assertCompleted(CompletableFuture<String> scan) throws Exception {
        String result = scan.get(600, TimeUnit.SECONDS);
        assertThat(result).as(result).startsWith("0\n");
    }

    @Test
    @Order(1)
    void cleanRunWithOneWorkerOfEachStage() throws Exception {
        wipe();
        worker("parser-a", "parser-worker");
        worker("writer-a", "writer-worker");
        assertCompleted(scan());
        clean = GraphFingerprint.of(graph.driver(), "", GraphFingerprint.BOOKKEEPING);
        cleanLines = GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING);
        assertThat(written()).isEqualTo(files);
    }

    @Test
    @Order(2)
    void killingAParserWorkerMidScanLosesNothing() throws Exception {
        assumeTrue(clean != null, "needs the clean run");
        wipe();
        WorkerProcess victim = worker("parser-b", "parser-worker");
        worker("parser-c", "parser-worker");
        worker("writer-b", "writer-worker");
        var scan = scan();
        awaitWritten(files / 4);
        victim.kill();

        assertCompleted(scan);
        assertClean();
    }

    @Test
    @Order(3)
    void killingAWriterWorkerMidBatchLosesNothingAndDuplicatesNothing() throws Exception {
        assumeTrue(clean != null, "needs the clean run");
        wipe();
        worker("parser-d", "parser-worker");
        WorkerProcess victim = worker("writer-c", "writer-worker");
        worker("writer-d", "writer-worker");
        var scan = scan();
        awaitWritten(files / 4);
        victim.kill();

        assertCompleted(scan);
        assertClean();
    }

    @Test
    @Order(4)
    void sigtermDrainsCommitsAndExitsWithinTheBound() throws Exception {
        assumeTrue(clean != null, "needs the clean run");
        wipe();
        WorkerProcess stopping = worker("parser-e", "parser-worker");
        worker("writer-e", "writer-worker");
        var scan = scan();
        awaitWritten(files / 10);

        long start = System.nanoTime();
        assertThat(stopping.terminate(Duration.ofSeconds(45))).as(stopping.output()).isTrue();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(seconds).isLessThan(45);
        assertThat(stopping.output()).contains("parser: stopped");

        // Its partitions go to a worker started after it; the scan still completes with the same graph.
        worker("parser-f", "parser-worker");
        assertCompleted(scan);
        assertClean();
    }
}
