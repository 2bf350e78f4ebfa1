package io.ast2graph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The end-of-scan report of a real, large tree: the JDK's own java.base sources (about 3,000 files), scanned by two
 * parser and two writer loops; the JSON of {@code --report FILE} is checked against the tree itself.
 */
class JavaBaseReportIT {
    private static final String PREFIX = "jdk-report";

    @TempDir
    Path tmp;

    @Test
    void reportOfAJavaBaseScanAddsUpToTheTree() throws Exception {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        assumeTrue(Files.isRegularFile(srcZip), "this JDK has no lib/src.zip (" + srcZip + "): install its sources to run this test");
        Path tree = tmp.resolve("jdk");
        unzipJavaBase(srcZip, tree);
        Path javaBase = tree.resolve("java.base");
        List<Path> javaFiles;
        try (Stream<Path> walk = Files.walk(javaBase)) {
            javaFiles = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        long expectedLines = 0;
        for (Path file : javaFiles) {
            expectedLines += Files.readString(file, StandardCharsets.UTF_8).lines().count();
        }

        var kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        var neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        Topics topics = Topics.withPrefix(PREFIX);
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        var metrics = new SimpleMeterRegistry();
        WorkerGroup writers = WriterWorker.start(WriterConfig.defaults(kafka, topics, neo4j, 2, "jdk"), Clock.systemUTC(), metrics);
        WorkerGroup parsers = ParserWorker.start(ParserConfig.defaults(kafka, topics, 2, Optional.of(javaBase), "jdk"),
            Clock.systemUTC(), metrics);
        Path reportFile = tmp.resolve("reports").resolve("java.base.json");
        var out = new ByteArrayOutputStream();
        int exit;
        try {
            exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute("--bootstrap-servers", kafka.bootstrapServers(), "--neo4j-uri", neo4j.uri(),
                    "--topic-prefix", PREFIX, "--no-progress", "--timeout", "1800", "--mode", "REFERENCE",
                    "--report", reportFile.toString(), javaBase.toString());
        } finally {
            parsers.stop(Duration.ofSeconds(30));
            writers.stop(Duration.ofSeconds(60));
        }
        String terminal = out.toString(StandardCharsets.UTF_8);
        try {
            assertThat(exit).as(terminal).isZero();
            assertThat(terminal).contains("  rate ", "  parse      p50 ", "  worker     jdk/parser-0", "  report     " + reportFile);

            JsonNode report = Json.mapper().readTree(Files.readString(reportFile));
            assertThat(report.get("repo").asText()).isEqualTo("java.base");
            JsonNode files = report.get("files");
            assertThat(javaFiles).hasSizeGreaterThan(2_000);
            assertThat(files.get("published").asLong()).isEqualTo(javaFiles.size());
            assertThat(files.get("parsed").asLong()).isEqualTo(javaFiles.size());
            assertThat(files.get("written").asLong()).isEqualTo(javaFiles.size());
            assertThat(files.get("failed").asLong()).isZero();
            assertThat(report.get("lines").asLong()).isEqualTo(expectedLines);
            assertThat(report.get("nodes").asLong()).isGreaterThan(10L * javaFiles.size());
            assertThat(report.get("relationships").asLong()).isGreaterThan(javaFiles.size());
            assertThat(report.get("graphNodes").asLong()).isGreaterThan(javaFiles.size());

            double total = report.get("totalSeconds").asDouble();
            assertThat(total).isPositive();
            JsonNode throughput = report.get("throughput");
            assertThat(throughput.get("filesPerSecond").asDouble()).isCloseTo(javaFiles.size() / total, within(0.01 * javaFiles.size() / total + 0.01));
            assertThat(throughput.get("linesPerSecond").asDouble()).isCloseTo(expectedLines / total, within(0.01 * expectedLines / total + 1));
            assertThat(throughput.get("rowsPerSecond").asDouble()).isPositive();

            JsonNode parse = report.get("parseMillis");
            assertThat(parse.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(parse.get("p99").asDouble());
            assertThat(parse.get("p99").asDouble()).isLessThanOrEqualTo(parse.get("max").asDouble());

            JsonNode stages = report.get("stages");
            for (String stage : List.of("parse", "write")) {
                assertThat(stages.get(stage).get("wallSeconds").asDouble()).as(stage).isPositive().isLessThanOrEqualTo(total + 0.001);
                assertThat(stages.get(stage).get("busySeconds").asDouble()).as(stage).isPositive();
            }

            List<JsonNode> parserWorkers = new ArrayList<>();
            List<JsonNode> writerWorkers = new ArrayList<>();
            report.get("workers").forEach(w -> (w.get("stage").asText().equals("parser") ? parserWorkers : writerWorkers).add(w));
            assertThat(parserWorkers).extracting(w -> w.get("worker").asText()).containsExactly("jdk/parser-0", "jdk/parser-1");
            assertThat(writerWorkers).extracting(w -> w.get("worker").asText()).containsExactly("jdk/writer-0", "jdk/writer-1");
            assertThat(parserWorkers.stream().mapToLong(w -> w.get("files").asLong()).sum()).isEqualTo(javaFiles.size());
            assertThat(writerWorkers.stream().mapToLong(w -> w.get("files").asLong()).sum()).isEqualTo(javaFiles.size());
            assertThat(parserWorkers.stream().mapToDouble(w -> w.get("busySeconds").asDouble()).sum())
                .isCloseTo(stages.get("parse").get("busySeconds").asDouble(), within(0.01));
            report.get("workers").forEach(w -> assertThat(w.get("efficiency").asDouble()).as(w.toString())
                .isGreaterThan(0).isLessThanOrEqualTo(1));

            List<Double> slowest = new ArrayList<>();
            report.get("slowestFiles").forEach(f -> {
                assertThat(javaBase.resolve(f.get("path").asText())).isRegularFile();
                slowest.add(f.get("parseMillis").asDouble());
            });
            assertThat(slowest).hasSize(ScanReport.SLOWEST_FILES).isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(slowest.getFirst()).isEqualTo(parse.get("max").asDouble());

            long problemFiles = files.get("withProblems").asLong();
            long problemsInErrors = 0;
            for (JsonNode error : report.get("errors")) {
                assertThat(error.get("examples").size()).isBetween(1, ScanReport.EXAMPLES_PER_ERROR);
                if (error.get("type").asText().equals("ParseProblem")) {
                    problemsInErrors = error.get("count").asLong();
                }
            }
            assertThat(problemsInErrors).isEqualTo(problemFiles);
        } finally {
            // The next tests share this database: leave it as small as it was, in batches a small heap can take.
            try (var graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(10)), "");
                 var session = graph.driver().session()) {
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume();
            }
        }
    }

    private static void unzipJavaBase(Path srcZip, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(srcZip); var zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.isDirectory() || !entry.getName().startsWith("java.base/")) {
                    continue;
                }
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("zip entry escapes the target: " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy(zip, file);
            }
        }
    }
}
