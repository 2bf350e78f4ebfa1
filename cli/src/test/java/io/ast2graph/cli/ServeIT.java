package io.ast2graph.cli;

import io.ast2graph.embedded.EmbeddedNeo4j;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ast2graph serve} keeps a data folder's pipeline up; {@code scan}, {@code query} and {@code status} with the
 * same {@code --data-dir} go through it instead of starting servers of their own, and a rescan through it leaves the
 * graph a fresh full scan of the changed tree makes.
 */
class ServeIT {
    @TempDir
    Path tmp;

    @Test
    void scansBesideAServeGoThroughItAndARescanLeavesTheGraphOfAFreshFullScan() throws Exception {
        Path tree = SampleRepo.copyTo(tmp.resolve("sample"));
        Path served = tmp.resolve("served");
        Path fresh = tmp.resolve("fresh");
        var serve = new ServeCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        new CommandLine(serve).parseArgs("--data-dir", served.toString(), "--bolt-port", Integer.toString(freePort()),
            "--parser-threads", "2");
        List<String> afterRescan;
        try (ServeCommand.Running running = serve.start()) {
            assertThat(ServeFile.read(served)).get().satisfies(file -> {
                assertThat(file.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(file.boltUri()).isEqualTo(running.file.boltUri());
            });

            String first = scan(served, tree);
            assertThat(first).contains("scanning through the serve on --data-dir " + served, "5 published, 5 written",
                "content    inline")
                // No servers of its own were started.
                .doesNotContain("to start the embedded servers");

            // Edit one file (a method renamed), delete one, add two: one over a cluster's 1 MiB inline limit once in
            // JSON, which goes inline all the same (the serve's parsers mount no folder to read a reference from).
            Path shop = tree.resolve("src/main/java/com/example/shop");
            Path order = shop.resolve("Order.java");
            Files.writeString(order, Files.readString(order).replace("public long total()", "public long sum()"));
            Files.delete(shop.resolve("Status.java"));
            Files.writeString(shop.resolve("Invoice.java"),
                "package com.example.shop;\npublic class Invoice { public long due() { return 0; } }\n");
            Files.writeString(shop.resolve("Ledger.java"), "package com.example.shop;\n/*" + "ledger ".repeat(130_000)
                + "*/\npublic class Ledger { public long balance() { return 0; } }\n");

            // The rescan as the command runs it beside a serve: handed to the serve, which runs it in its own JVM, with
            // this command's relative paths and environment, and its output and log lines streamed back.
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var handedOff = ServeClient.handOff(List.of("scan", "--data-dir", "served", "--repo", "sample", "--no-progress",
                    "--timeout", "180", "--report", "report.json", "sample"), Map.of(), tmp,
                false, 0, System.currentTimeMillis(), out, err);
            String rescan = out.toString(StandardCharsets.UTF_8);
            assertThat(handedOff).as(rescan + err.toString(StandardCharsets.UTF_8)).hasValue(0);
            assertThat(rescan).contains("scanning through the serve", "handed to it",
                "4 published, 4 written, 0 with parse problems, 0 failed", "2 added, 1 changed, 1 deleted, 3 unchanged");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("ScanCommand - walked 6 files under " + tree);
            assertThat(tmp.resolve("report.json")).isNotEmptyFile();

            assertThat(command(new QueryCommand(printer(queryOut)), "--data-dir", served.toString(), "--format", "csv",
                "MATCH (:Type {binaryName: 'com.example.shop.Order'})-[:DECLARES]->(m:Method) RETURN m.name AS name ORDER BY name"))
                .isZero();
            assertThat(queryOut.toString(StandardCharsets.UTF_8).lines()).contains("sum").doesNotContain("total");
            assertThat(command(new StatusCommand(printer(statusOut), java.time.Clock.systemUTC()),
                "--data-dir", served.toString(), "--topic-prefix", running.file.topicPrefix())).isZero();
            assertThat(statusOut.toString(StandardCharsets.UTF_8)).contains("sample", "complete", "4/4", "5/5");

            afterRescan = fingerprint(running.file.boltUri());

            // The reference: a fresh full scan of the changed tree, with servers of its own on another folder (which
            // a serve left without removing its file, as when killed: the scan ignores and removes that file).
            Files.createDirectories(fresh);
            Process gone = new ProcessBuilder("true").start();
            assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
            new ServeFile(gone.pid(), 0, 1, "localhost:1", "bolt://localhost:2", "ast2graph").write(fresh);
            String full = scan(fresh, tree);
            assertThat(full).contains("6 published, 6 written", "6 added, 0 changed, 0 deleted, 0 unchanged",
                "to start the embedded servers").doesNotContain("through the serve");
            assertThat(ServeFile.path(fresh)).doesNotExist();
        }
        // Stopped: the file is gone, and the next command may open the stores itself.
        assertThat(ServeFile.path(served)).doesNotExist();
        try (var owned = (DataDir.Owned) DataDir.claim(served);
             EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(fresh.resolve("neo4j"), 0, 64L << 20)) {
            GraphDiff.assertSameGraph("rescan through the serve vs fresh full scan", fingerprint(neo4j.boltUri()), afterRescan);
        }
    }

    private final ByteArrayOutputStream queryOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream statusOut = new ByteArrayOutputStream();

    private static String scan(Path dataDir, Path tree) {
        var out = new ByteArrayOutputStream();
        int exit = command(new ScanCommand(printer(out)), "--data-dir", dataDir.toString(), "--repo", "sample",
            "--no-progress", "--timeout", "180", tree.toString());
        assertThat(exit).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int command(Object command, String... args) {
        return new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    private static PrintStream printer(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private static List<String> fingerprint(String boltUri) {
        try (var graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(boltUri), Duration.ofSeconds(10)), "")) {
            return GraphFingerprint.lines(graph.driver(), "", GraphFingerprint.BOOKKEEPING);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
