package io.ast2graph.cli;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.ParserConfig;
import io.ast2graph.parser.ParserWorker;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import io.ast2graph.writer.WriterConfig;
import io.ast2graph.writer.WriterWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monorepo scans against the real broker and Neo4j, with workers as in production that mount one folder: several
 * roots of one repository, and rescans that publish only what changed since the last completed scan.
 */
class IncrementalRescanIT {
    private static final String PREFIX = "rescan";
    private static final Pattern SCAN_ID = Pattern.compile("scan (\\S+) of repo");
    /** What the workers mount; every repository of this test lies in it or is it. */
    @TempDir
    static Path mount;
    static KafkaSettings kafka;
    static Neo4jSettings neo4j;
    static WorkerGroup parsers;
    static WorkerGroup writers;
    static Neo4jGraphWriter graph;

    @BeforeAll
    static void startWorkers() throws Exception {
        kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        Topics topics = Topics.withPrefix(PREFIX);
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        var metrics = new SimpleMeterRegistry();
        writers = WriterWorker.start(new WriterConfig(kafka, topics, neo4j, "rescan-writer", "consumer", 2, 1000,
            16L << 20, Duration.ofMillis(50), Duration.ofSeconds(10), "rescan"), Clock.systemUTC(), metrics);
        parsers = ParserWorker.start(new ParserConfig(kafka, topics, "rescan-parser", "classic", 2,
            Optional.of(mount), 4L << 20, 8, ParserConfig.DEFAULT_PARSE_TIMEOUT, "rescan"), Clock.systemUTC(), metrics);
        graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(10)), "");
    }

    @AfterAll
    static void stopWorkers() throws InterruptedException {
        if (parsers != null) parsers.stop(Duration.ofSeconds(30));
        if (writers != null) writers.stop(Duration.ofSeconds(30));
        if (graph != null) graph.close();
    }

    @BeforeEach
    void emptyGraph() {
        graph.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
    }

    @Test
    void severalRootsGetPathsRelativeToTheirCommonFolderAndReferencesResolveAgainstIt() throws IOException {
        // Two modules with the same layout: relative to each root, both files would be one Kafka key.
        write(mount.resolve("app/src/main/java/com/acme/Main.java"), "package com.acme;\nclass Main { void app() {} }\n");
        write(mount.resolve("lib/src/main/java/com/acme/Main.java"), "package com.acme;\nclass Main { void lib() {} }\n");

        ScanResult result = scan("--mode", "REFERENCE", mount.resolve("lib").toString(), mount.resolve("app").toString());

        assertThat(result.exit()).as(result.output()).isZero();
        String repo = mount.getFileName().toString();
        assertThat(result.output()).contains("of repo '" + repo + "' complete", "2 published, 2 written");
        assertThat(column("MATCH (f:File) RETURN f.repo + ':' + f.path AS p ORDER BY p")).containsExactly(
            repo + ":app/src/main/java/com/acme/Main.java", repo + ":lib/src/main/java/com/acme/Main.java");
        // Each Main with its method and its implicit default constructor (whose super() names Object's placeholder).
        assertThat(column("MATCH (t:Type)-[:DECLARES]->(m:Method) WHERE t.external IS NULL "
                + "RETURN t.sourceRoot + ' ' + m.name AS line ORDER BY line"))
            .containsExactly("app/src/main/java <init>", "app/src/main/java app", "lib/src/main/java <init>",
                "lib/src/main/java lib");

        // Any machine that reaches the cluster sees the scan in the events topic.
        String status = status("--scan", scanId(result));
        assertThat(status.lines().toList().get(1)).startsWith(scanId(result)).contains(repo, "complete", "2/2");
        assertThat(status).contains("errors     none", "slowest files to read and parse:",
            "app/src/main/java/com/acme/Main.java", "lib/src/main/java/com/acme/Main.java");
        assertThat(status("--scan", "no-such-scan")).contains("no events of scan no-such-scan");
    }

    @Test
    void aScanOfAClusterSendsTheContentInlineByDefault() throws IOException {
        // Workers of a cluster run elsewhere and need not mount the sources.
        Path repo = mount.resolve("elsewhere");
        write(repo.resolve("p/Far.java"), "package p;\nclass Far {}\n");

        ScanResult result = scan(repo.toString());

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("1 published, 1 written", "content    inline");
        assertThat(publishedRecords(scanId(result))).containsExactly("p/Far.java inline");
    }

    private static String status(String... extra) {
        var out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX));
        args.addAll(List.of(extra));
        new CommandLine(new StatusCommand(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC()))
            .execute(args.toArray(String[]::new));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRescanPublishesOnlyTheChangesAndLeavesTheGraphOfAFullScanOfTheChangedTree() throws IOException {
        Path tree = SampleRepo.copyTo(mount.resolve("sample"));
        Path shop = tree.resolve("src/main/java/com/example/shop");
        String[] options = {"--repo", "sample", "--repo-root", mount.toString(), "--mode", "REFERENCE"};

        ScanResult first = scan(options, tree);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("5 published, 5 written");

        // Edit one file (a method renamed), delete one, add one.
        Path order = shop.resolve("Order.java");
        Files.writeString(order, Files.readString(order).replace("public long total()", "public long sum()"));
        Files.delete(shop.resolve("Status.java"));
        write(shop.resolve("Invoice.java"), "package com.example.shop;\npublic class Invoice { public long due() { return 0; } }\n");

        ScanResult rescan = scan(options, tree);

        assertThat(rescan.exit()).as(rescan.output()).isZero();
        assertThat(rescan.output()).contains("3 published, 3 written", "1 added, 1 changed, 1 deleted, 3 unchanged");
        assertThat(publishedRecords(scanId(rescan))).containsExactlyInAnyOrder(
            "sample/src/main/java/com/example/shop/Invoice.java reference",
            "sample/src/main/java/com/example/shop/Order.java reference",
            "sample/src/main/java/com/example/shop/Status.java deleted");
        assertThat(column("MATCH (t:Type {binaryName: 'com.example.shop.Order'})-[:DECLARES]->(m:Method) RETURN m.name ORDER BY m.name"))
            .contains("sum").doesNotContain("total");
        assertThat(column("MATCH (t:Type) WHERE t.binaryName IN ['com.example.shop.Status', 'com.example.shop.Invoice'] RETURN t.binaryName"))
            .containsExactly("com.example.shop.Invoice");
        List<String> afterRescan = GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING);

        ScanResult nothingChanged = scan(options, tree);
        assertThat(nothingChanged.output()).contains("0 published, 0 written", "0 added, 0 changed, 0 deleted, 5 unchanged");

        emptyGraph();
        ScanResult full = scan(Stream.concat(Stream.of(options), Stream.of("--full")).toArray(String[]::new), tree);
        assertThat(full.exit()).as(full.output()).isZero();
        assertThat(full.output()).contains("5 published, 5 written");
        assertThat(GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING)).isEqualTo(afterRescan);
    }

    private static ScanResult scan(String[] options, Path root) {
        String[] args = Stream.concat(Stream.of(options), Stream.of(root.toString())).toArray(String[]::new);
        return scan(args);
    }

    private static ScanResult scan(String... extra) {
        var out = new ByteArrayOutputStream();
        var command = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .setCaseInsensitiveEnumValuesAllowed(true);
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--neo4j-uri",
            neo4j.uri(), "--topic-prefix", PREFIX, "--no-progress", "--timeout", "120"));
        args.addAll(List.of(extra));
        int exit = command.execute(args.toArray(String[]::new));
        return new ScanResult(exit, out.toString(StandardCharsets.UTF_8));
    }

    record ScanResult(int exit, String output) {}

    private static String scanId(ScanResult result) {
        Matcher matcher = SCAN_ID.matcher(result.output());
        assertThat(matcher.find()).as(result.output()).isTrue();
        return matcher.group(1);
    }

    /** "path mode" of every file reference the scan published, read back from the files topic. */
    private static List<String> publishedRecords(String scanId) {
        List<String> records = new ArrayList<>();
        try (var consumer = KafkaClients.reader(kafka, "rescan-test-reader")) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.withPrefix(PREFIX).files()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    FileRef ref = Json.read(record.value(), FileRef.class);
                    if (ref.scanId().equals(scanId)) {
                        records.add(ref.path() + " " + switch (ref.content()) {
                            case FileRef.Inline inline -> "inline";
                            case FileRef.Reference reference -> "reference";
                            case FileRef.Deleted deleted -> "deleted";
                        });
                    }
                }
            }
        }
        return records;
    }

    private static List<String> column(String cypher) {
        return graph.read(cypher, Map.of()).stream().map(r -> String.valueOf(r.values().iterator().next())).toList();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
