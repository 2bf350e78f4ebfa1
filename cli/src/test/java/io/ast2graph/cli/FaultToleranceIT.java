package io.ast2graph.cli;

import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import org.junit.jupiter.api.AfterAll;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Recovery proven by breaking things: a real corpus (the JDK's {@code java.util} sources) is scanned once cleanly,
 * then again under each failure, and every time the final graph must have the clean run's canonical fingerprint —
 * nothing lost, nothing duplicated, no stuck worker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {
    private static final String PREFIX = "faults";
    @TempDir
    static Path tmp;
    static Path corpus;
    static InJvmWorkers workers;
    static Neo4jGraphWriter graph;
    static GraphFingerprint.Fingerprint clean;
    static long files;

    @BeforeAll
    static void cleanRun() throws Exception {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        assumeTrue(Files.isRegularFile(srcZip), "this JDK ships no lib/src.zip (" + srcZip + ")");
        corpus = JavaBaseTypesIT.unzipModule(srcZip, "java.base/java/util/", tmp).getParent().getParent();
        try (var walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).count();
        }
        workers = InJvmWorkers.start(PREFIX, 2, 2, Optional.of(corpus));
        graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(SharedServers.neo4j().boltUri()),
            Duration.ofSeconds(10)), "");
        wipe();
        assertThat(scan().get(300, TimeUnit.SECONDS)).isZero();
        clean = fingerprint();
        cleanLines = GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING);
        assertThat(clean.nodes()).isGreaterThan(files * 5);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (!SharedServers.neo4j().isRunning()) {
            SharedServers.neo4j().startServer();
        }
        if (workers != null) workers.close();
        if (graph != null) graph.close();
    }

    static List<String> cleanLines;

    /** The graph equals the clean run's; on a difference, shows what differs. */
    private static void assertClean(String what) {
        GraphDiff.assertSameGraph(what, cleanLines, GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING));
    }

    private static GraphFingerprint.Fingerprint fingerprint() {
        return GraphFingerprint.of(graph.driver(), "", GraphFingerprint.BOOKKEEPING);
    }

    private static void wipe() {
        // In slices: one transaction deleting a whole corpus would hold it all in memory.
        try (var session = graph.driver().session()) {
            // CALL … IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume();
        }
    }

    private static long writtenFiles() {
        return (Long) graph.read("MATCH (f:File {repo: 'faults'}) RETURN count(f) AS n", Map.of()).getFirst().get("n");
    }

    /** Scans the corpus through the workers; completes with the command's exit code. */
    private static CompletableFuture<Integer> scan() {
        return CompletableFuture.supplyAsync(() -> {
            var out = new ByteArrayOutputStream();
            List<String> args = new ArrayList<>(Arrays.asList(workers.scanArgs()));
            // --full: every test wipes the graph first, and an incremental rescan would publish nothing.
            args.addAll(List.of("--repo", "faults", "--mode", "REFERENCE", "--full", "--timeout", "600", corpus.toString()));
            int exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .setCaseInsensitiveEnumValuesAllowed(true).execute(args.toArray(String[]::new));
            if (exit != 0) {
                System.err.println(out.toString(StandardCharsets.UTF_8));
            }
            return exit;
        });
    }

    private static void awaitWritten(long atLeast) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (writtenFiles() < atLeast) {
            assertThat(System.nanoTime()).as("waiting for %d files to be written", atLeast).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Test
    @Order(1)
    void neo4jStoppedFor30SecondsMidScan() throws Exception {
        wipe();
        var scan = scan();
        awaitWritten(files / 4);
        SharedServers.neo4j().stopServer();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(30));
        SharedServers.neo4j().startServer();

        assertThat(scan.get(600, TimeUnit.SECONDS)).isZero();
        assertClean("after Neo4j was stopped for 30 s");
    }

    @Test
    @Order(2)
    void kafkaBrokerRestartedMidScan() throws Exception {
        wipe();
        var scan = scan();
        awaitWritten(files / 4);
        SharedServers.kafka().restart();

        assertThat(scan.get(600, TimeUnit.SECONDS)).isZero();
        assertClean("after a broker restart");
    }

    @Test
    @Order(3)
    void replayingTheWriterGroupToEarliestChangesNothing() throws Exception {
        GraphFingerprint.Fingerprint before = fingerprint();
        assertThat(before).isEqualTo(clean);
        // The replay command resets a group with no live member: stop the in-JVM workers first, as an operator would.
        workers.close();
        var out = new ByteArrayOutputStream();
        int exit = new CommandLine(new ReplayCommand(new PrintStream(out, true, StandardCharsets.UTF_8))).execute(
            "--bootstrap-servers", workers.kafka.bootstrapServers(), "--topic-prefix", PREFIX,
            "--group", "writer", "--group-id", PREFIX + "-writer", "--to-earliest");
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        workers = InJvmWorkers.start(PREFIX, 2, 2, Optional.of(corpus));
        try (var admin = org.apache.kafka.clients.admin.Admin.create(workers.kafka.base())) {
            var end = io.ast2graph.common.kafka.GroupLag.endOffsets(admin, PREFIX + ".fragments");
            assertThat(io.ast2graph.common.kafka.GroupLag.awaitCaughtUp(admin, PREFIX + "-writer", end, 200, () -> true)).isTrue();
        }
        assertClean("after replaying the writer group");
    }

    @Test
    @Order(4)
    void rebuildIntoAnEmptyNeo4jFromTheFragmentsTopic() {
        wipe();
        var out = new ByteArrayOutputStream();
        int exit = new CommandLine(new RebuildCommand(new PrintStream(out, true, StandardCharsets.UTF_8))).execute(
            "--bootstrap-servers", workers.kafka.bootstrapServers(), "--topic-prefix", PREFIX,
            "--neo4j-uri", SharedServers.neo4j().boltUri());
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertClean("rebuilt from the fragments topic");
    }
}
