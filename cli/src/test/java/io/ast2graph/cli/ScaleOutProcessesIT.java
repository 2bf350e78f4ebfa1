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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out without Kubernetes: three parser-worker and two writer-worker <em>processes</em>, started as the
 * containers start them ({@code ast2graph parser-worker} / {@code writer-worker} configured through the environment),
 * share one scan; one parser is killed ({@code SIGKILL}, no drain) while the scan runs. The graph must equal the one a
 * single process writes from the same tree: what the dead parser had taken but not committed is redone by the others.
 */
class ScaleOutProcessesIT {
    private static final String REPO = "scale";
    private static final int GENERATED_FILES = 400;
    /** More partitions than workers, so the survivors take the dead parser's partitions over. */
    private static final int PARTITIONS = 6;

    @TempDir
    static Path tree;
    @TempDir
    static Path logs;
    static KafkaSettings kafka;
    static Neo4jSettings neo4j;
    static Neo4jGraphWriter graph;
    static int totalFiles;
    final List<WorkerProcess> processes = new ArrayList<>();

    @BeforeAll
    static void prepare() throws IOException {
        SampleRepo.copyTo(tree);
        totalFiles = 5 + generateSources(tree.resolve("src/main/java/gen"), GENERATED_FILES);
        kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(10)), "");
    }

    @AfterAll
    static void close() {
        if (graph != null) graph.close();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (WorkerProcess process : processes) {
            process.close();
        }
    }

    @Test
    void fiveWorkerProcessesWithOneParserKilledMidScanWriteTheSameGraphAsOneProcess() throws Exception {
        List<String> singleProcess = singleProcessGraph();
        assertThat(singleProcess).hasSizeGreaterThan(totalFiles);
        clearGraph();

        Topics topics = Topics.withPrefix("scaleout");
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, PARTITIONS, (short) 1);
            List<WorkerProcess> parsers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                parsers.add(startWorker("parser-worker", "parser-" + i));
            }
            for (int i = 0; i < 2; i++) {
                startWorker("writer-worker", "writer-" + i);
            }
            await("3 parsers and 2 writers in their groups", Duration.ofSeconds(90),
                () -> members(admin, "scaleout-parser") == 3 && members(admin, "scaleout-writer") == 2);

            Instant start = Instant.now();
            CompletableFuture<ScanResult> scan = CompletableFuture.supplyAsync(() -> scan("scaleout"));
            await("the first files in the graph", Duration.ofSeconds(90), () -> fileCount() > 0 || scan.isDone());
            long writtenWhenKilled = fileCount();
            WorkerProcess victim = parsers.getFirst();
            victim.kill();
            assertThat(victim.process.isAlive()).isFalse();
            assertThat(writtenWhenKilled).as("the parser must die mid-scan").isLessThan(totalFiles);

            ScanResult result = scan.get(150, TimeUnit.SECONDS);
            Duration took = Duration.between(start, Instant.now());
            assertThat(result.exit()).as(result.output() + logTails()).isZero();
            assertThat(result.output()).contains(totalFiles + " published, " + totalFiles + " written");
            System.out.printf("scale-out: %d files through 3 parser + 2 writer processes (one parser killed after %d"
                + " files were written) in %d ms%n", totalFiles, writtenWhenKilled, took.toMillis());

            assertThat(GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING)).isEqualTo(singleProcess);

            // The survivors drain and stop on SIGTERM, as Kubernetes stops a pod.
            for (WorkerProcess survivor : processes) {
                if (survivor != victim) survivor.process.destroy();
            }
            for (WorkerProcess survivor : processes) {
                assertThat(survivor.process.waitFor(60, TimeUnit.SECONDS)).as("worker stops within its drain timeout").isTrue();
            }
        }
    }

    /** The reference: the same tree through one parser and one writer thread inside this JVM. */
    private List<String> singleProcessGraph() throws Exception {
        clearGraph();
        try (InJvmWorkers workers = InJvmWorkers.start("scaleref", 1, 1, Optional.empty())) {
            Instant start = Instant.now();
            ScanResult result = scan(workers.prefix);
            System.out.printf("single process: %d files through 1 parser + 1 writer thread in %d ms%n", totalFiles,
                Duration.between(start, Instant.now()).toMillis());
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains(totalFiles + " published, " + totalFiles + " written");
        }
        return GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING);
    }

    /**
     * One worker process with the test JVM's class path, configured only through the environment as in a container.
     * The classic group protocol with a 6 s session lets the group notice the killed parser in seconds (the
     * KIP-848 protocol's session timeout is a broker setting, 45 s by default).
     */
    private WorkerProcess startWorker(String command, String name) {
        Map<String, String> env = Map.of(
            "AST2GRAPH_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
            "AST2GRAPH_TOPIC_PREFIX", "scaleout",
            "AST2GRAPH_KAFKA_SESSION_TIMEOUT_MS", "6000",
            "AST2GRAPH_KAFKA_HEARTBEAT_INTERVAL_MS", "1000",
            "AST2GRAPH_PARSER_THREADS", "1",
            "AST2GRAPH_WRITER_THREADS", "1",
            "NEO4J_URI", neo4j.uri());
        WorkerProcess process = WorkerProcess.start(name, "256m", List.of(command,
            "--group", "scaleout-" + command.replace("-worker", ""), "--group-protocol", "classic"), env, logs);
        processes.add(process);
        return process;
    }

    private static ScanResult scan(String prefix) {
        var out = new ByteArrayOutputStream();
        int exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute("--bootstrap-servers", kafka.bootstrapServers(), "--neo4j-uri", neo4j.uri(),
                "--topic-prefix", prefix, "--no-progress", "--timeout", "150", "--repo", REPO, "--mode", "INLINE",
                tree.toString());
        return new ScanResult(exit, out.toString(StandardCharsets.UTF_8));
    }

    record ScanResult(int exit, String output) {}

    private static int members(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS)
                .get(group).members().size();
        } catch (Exception e) {
            return 0; // not created yet
        }
    }

    private static long fileCount() {
        return (Long) graph.read("MATCH (f:File) RETURN count(f) AS n", Map.of()).getFirst().get("n");
    }

    private static void clearGraph() {
        graph.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
    }

    private String logTails() {
        StringBuilder tails = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                tails.append("\n--- ").append(log.getFileName()).append('\n')
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (IOException e) {
            tails.append("\n(cannot read worker logs: ").append(e.getMessage()).append(')');
        }
        return tails.toString();
    }

    /** Polls {@code condition} every 100 ms until it holds; fails with the worker logs after {@code timeout}. */
    private void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            for (WorkerProcess worker : processes) {
                Process process = worker.process;
                if (!process.isAlive() && process.exitValue() != 137) {
                    throw new AssertionError("a worker exited (" + process.exitValue() + ") while waiting for " + what
                        + logTails());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + logTails());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Writes {@code count} small but varied Java files (classes with fields, overloads, constructors, member records,
     * enums and interfaces) spread over ten packages. Deterministic, so every run scans the same tree.
     */
    static int generateSources(Path root, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String pkg = "gen.p" + (i % 10);
            String name = "Gen" + i;
            String kind = switch (i % 4) {
                case 0 -> "public class " + name + " implements Comparable<" + name + ">";
                case 1 -> "public final class " + name;
                case 2 -> "public abstract class " + name;
                default -> "public class " + name + "<T extends Number>";
            };
            StringBuilder body = new StringBuilder();
            body.append("package ").append(pkg).append(";\n\nimport java.util.List;\nimport java.util.Map;\n\n")
                .append(kind).append(" {\n")
                .append("    public static final int ID = ").append(i).append(";\n")
                .append("    private final String name;\n    protected List<String> tags;\n\n")
                .append("    public ").append(name).append("(String name) { this.name = name; }\n");
            for (int m = 0; m < 3 + i % 5; m++) {
                body.append("    public int m").append(m).append("(int a) { return a + ").append(m).append("; }\n")
                    .append("    int m").append(m).append("(String s, Map<String, List<Integer>> index, long... rest) {")
                    .append(" return s.length(); }\n");
            }
            if (i % 4 == 0) {
                body.append("    @Override public int compareTo(").append(name).append(" o) { return name.compareTo(o.name); }\n");
            }
            if (i % 4 == 2) {
                body.append("    protected abstract void run();\n");
            }
            body.append("    public record Entry(String key, int value) {\n")
                .append("        public Entry { if (value < 0) throw new IllegalArgumentException(); }\n    }\n")
                .append("    enum Mode { FAST, SLOW; boolean fast() { return this == FAST; } }\n")
                .append("    interface Listener { void on(Entry entry); }\n")
                .append("}\n");
            Path file = root.resolve("p" + (i % 10)).resolve(name + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, body);
        }
        return count;
    }
}
