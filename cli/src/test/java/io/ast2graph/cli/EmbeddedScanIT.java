package io.ast2graph.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-command local use: {@code ast2graph scan DIR} with no servers named starts its own broker and database
 * under {@code --data-dir}, and {@code ast2graph query} reads the graph it left there.
 */
class EmbeddedScanIT {
    @TempDir
    Path tmp;

    @Test
    void scanOnTheEmbeddedDefaultThenQueryTheGraphItLeft() {
        Path repo = SampleRepo.copyTo(tmp.resolve("sample"));
        Path data = tmp.resolve("data");
        var scanOut = new ByteArrayOutputStream();
        int exit = new CommandLine(new ScanCommand(new PrintStream(scanOut, true, StandardCharsets.UTF_8)))
            .execute("--data-dir", data.toString(), "--no-progress", "--timeout", "180", repo.toString());

        assertThat(exit).as(scanOut.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(scanOut.toString(StandardCharsets.UTF_8)).contains("of repo 'sample' complete", "5 written",
            // The embedded default's workers share this machine's disk: references, not bytes, go through Kafka.
            "content    by reference, paths under " + repo.toAbsolutePath().normalize());

        var queryOut = new ByteArrayOutputStream();
        int queryExit = new CommandLine(new QueryCommand(new PrintStream(queryOut, true, StandardCharsets.UTF_8)))
            .execute("--data-dir", data.toString(), "--format", "csv",
                "MATCH (t:Type) WHERE t.binaryName STARTS WITH 'com.example.shop.Order' RETURN t.binaryName AS binaryName ORDER BY binaryName");

        assertThat(queryExit).isZero();
        assertThat(queryOut.toString(StandardCharsets.UTF_8).lines()).containsExactly(
            "binaryName",
            "com.example.shop.Order",
            "com.example.shop.Order$Audit",
            "com.example.shop.Order$Audit$Entry",
            "com.example.shop.Order$Line");
    }

    @Test
    void aRescanOnTheSameDataDirRestartsTheServersAndPublishesOnlyTheChange() throws Exception {
        Path repo = SampleRepo.copyTo(tmp.resolve("sample"));
        // Checked out an hour ago: only files modified well before a scan can be taken from the hash cache.
        try (var files = Files.walk(repo)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(java.time.Duration.ofHours(1))));
            }
        }
        Path data = tmp.resolve("data");
        // Fewer files than --bulk-min-files: the writers write them.
        assertThat(scan(repo, data)).contains("5 published, 5 written", "(0 from this machine's hash cache)")
            .containsPattern("worker\\s+local/writer").doesNotContain("bulk-import");
        Path order = repo.resolve("src/main/java/com/example/shop/Order.java");
        Files.writeString(order, Files.readString(order).replace("public long total()", "public long sum()"));

        // Regression: the embedded broker formatted its folder again on every start and refused it the second time
        // ("Invalid cluster.id"), so the embedded default could not scan twice.
        String rescan = scan(repo, data);

        assertThat(rescan).contains("1 published, 1 written", "0 added, 1 changed, 0 deleted, 4 unchanged",
            // The four unchanged files were not read again; the edited one was.
            "hashing 5 files", "(4 from this machine's hash cache)");
    }

    @Test
    void aFirstScanThroughTheBulkImporterLeavesTheGraphTheWritersLeaveAndRescansGoOnFromIt() throws Exception {
        Path repo = SampleRepo.copyTo(tmp.resolve("sample"));
        Path bulk = tmp.resolve("bulk");
        Path writers = tmp.resolve("writers");
        // As many files as --bulk-min-files: the bulk importer loads them. The load reports the files written itself
        // and moves the writers' offsets past them: no writer reads them.
        assertThat(scan(repo, bulk, "--bulk-min-files", "5")).contains("5 published, 5 written", "5 added, 0 changed")
            .containsPattern("worker\\s+bulk-import\\s+5 files").doesNotContainPattern("worker\\s+local/writer");
        assertThat(scan(repo, writers, "--no-bulk", "--bulk-min-files", "5")).contains("5 published, 5 written")
            .containsPattern("worker\\s+local/writer");
        GraphDiff.assertSameGraph("bulk importer vs writers", fingerprint(writers), fingerprint(bulk));

        // A second --bulk has a database to refuse; a rescan without it writes the change into the imported graph.
        var refused = new ByteArrayOutputStream();
        var errors = new java.io.StringWriter();
        int exit = new CommandLine(new ScanCommand(new PrintStream(refused, true, StandardCharsets.UTF_8)))
            .setErr(new java.io.PrintWriter(errors, true))
            .execute("--data-dir", bulk.toString(), "--no-progress", "--bulk", repo.toString());
        assertThat(exit).isEqualTo(1);
        assertThat(errors.toString()).contains("--bulk loads a new database", "has one already");
        Path order = repo.resolve("src/main/java/com/example/shop/Order.java");
        Files.writeString(order, Files.readString(order).replace("public long total()", "public long sum()"));
        assertThat(scan(repo, bulk)).contains("1 published, 1 written", "0 added, 1 changed, 0 deleted, 4 unchanged");
        assertThat(scan(repo, writers)).contains("1 published, 1 written");
        GraphDiff.assertSameGraph("after a rescan: bulk importer vs writers", fingerprint(writers), fingerprint(bulk));
    }

    @Test
    void aBulkLoadWhoseFragmentsExceedItsShareOfTheHeapGoesThroughTheWriters() throws Exception {
        Path repo = SampleRepo.copyTo(tmp.resolve("sample"));
        Path data = tmp.resolve("data");
        Path writers = tmp.resolve("writers");
        assertThat(scan(repo, data, "--bulk", "--bulk-heap-share", "0")).contains("5 published, 5 written")
            .containsPattern("worker\\s+local/writer").doesNotContain("bulk-import");
        assertThat(scan(repo, writers)).contains("5 published, 5 written");
        GraphDiff.assertSameGraph("writers after a bulk load gave up vs writers", fingerprint(writers), fingerprint(data));
    }

    /** The graph of a data folder, bookkeeping (scan ids, versions) left out; its servers must be stopped. */
    private static java.util.List<String> fingerprint(Path data) {
        try (var neo4j = io.ast2graph.embedded.EmbeddedNeo4j.start(data.resolve("neo4j"), 0, 64L << 20);
             var graph = new io.ast2graph.writer.Neo4jGraphWriter(io.ast2graph.writer.Neo4jGraphWriter.connect(
                 io.ast2graph.writer.Neo4jSettings.noAuth(neo4j.boltUri()), java.time.Duration.ofSeconds(10)), "")) {
            return io.ast2graph.writer.GraphFingerprint.lines(graph.driver(), "", io.ast2graph.writer.GraphFingerprint.BOOKKEEPING);
        }
    }

    private static String scan(Path repo, Path data, String... more) {
        var out = new ByteArrayOutputStream();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--data-dir", data.toString(),
            "--no-progress", "--timeout", "180"));
        args.addAll(java.util.List.of(more));
        args.add(repo.toString());
        int exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .execute(args.toArray(String[]::new));
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
