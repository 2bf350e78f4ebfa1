package io.ast2graph.cli;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.embedded.testing.SharedServers;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Long-lived workers must not leak: a parser in a 256 MiB heap and a writer in a 512 MiB heap, as separate
 * processes, handle the same corpus round after round, and the heap they retain after a full GC (read with
 * {@code jcmd}) stays flat from round to round.
 */
class WorkerMemoryIT {
    private static final String PREFIX = "memory";
    private static final int ROUNDS = 4;
    private static final long SLACK_BYTES = 6L << 20;
    /** A heap generation's line of GC.heap_info with the serial collector: "DefNew total 78656K, used 135K [...]". */
    private static final Pattern GENERATION_USED = Pattern.compile("(?m)^\\s*[A-Za-z][\\w ]*?\\s+total \\d+K, used (\\d+)K");

    @TempDir
    static Path tmp;
    @TempDir
    static Path logs;
    static final List<WorkerProcess> processes = new ArrayList<>();

    @AfterAll
    static void stop() throws InterruptedException {
        for (WorkerProcess p : processes) {
            p.close();
        }
    }

    @Test
    void retainedHeapOfParserAndWriterStaysFlatAcrossRounds() throws Exception {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        assumeTrue(Files.isRegularFile(srcZip), "this JDK ships no lib/src.zip (" + srcZip + ")");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assumeTrue(Files.isExecutable(jcmd), "this JDK has no jcmd to read a process's heap");
        Path corpus = JavaBaseTypesIT.unzipModule(srcZip, "java.base/java/util/", tmp).getParent().getParent();
        KafkaSettings kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, Topics.withPrefix(PREFIX), 4, (short) 1);
        }
        Map<String, String> env = Map.of("AST2GRAPH_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
            "AST2GRAPH_TOPIC_PREFIX", PREFIX, "AST2GRAPH_SOURCE_ROOT", corpus.toString(),
            "AST2GRAPH_PARSER_THREADS", "1", "AST2GRAPH_WRITER_THREADS", "1", "NEO4J_URI", SharedServers.neo4j().boltUri());
        WorkerProcess parser = WorkerProcess.start("parser", "256m", List.of("parser-worker", "--group", "memory-parser"), env, logs);
        WorkerProcess writer = WorkerProcess.start("writer", "512m", List.of("writer-worker", "--group", "memory-writer"), env, logs);
        processes.add(parser);
        processes.add(writer);

        List<Long> parserHeap = new ArrayList<>();
        List<Long> writerHeap = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            // Another repo name each round: every file is new to the graph and goes through both stages in full.
            var out = new ByteArrayOutputStream();
            int exit = new CommandLine(new ScanCommand(new PrintStream(out, true, StandardCharsets.UTF_8)))
                .setCaseInsensitiveEnumValuesAllowed(true).execute("--bootstrap-servers", kafka.bootstrapServers(),
                    "--topic-prefix", PREFIX, "--no-progress", "--timeout", "600", "--repo", "memory-" + round,
                    "--mode", "REFERENCE", corpus.toString());
            assertThat(exit).as("round %d: %s%nparser: %s%nwriter: %s", round, out, parser.output(), writer.output()).isZero();
            parserHeap.add(retainedHeap(jcmd, parser.process.pid()));
            writerHeap.add(retainedHeap(jcmd, writer.process.pid()));
        }
        System.out.printf("retained heap after full GC per round: parser %s, writer %s (MiB)%n",
            parserHeap.stream().map(b -> b >> 20).toList(), writerHeap.stream().map(b -> b >> 20).toList());

        // Nothing may accumulate from round to round: the last round retains no more than the earlier rounds'
        // median, give or take 15% and a few MiB. The median, not one round: after a full GC the writer retained
        // 41 to 54 MiB from one round to the next with nothing growing (pooled buffers, the batch size it adapted
        // to), while keeping a round's fragments would add tens of MiB a round.
        assertThat(parserHeap.getLast()).as("parser heap per round %s", parserHeap)
            .isLessThanOrEqualTo((long) (medianOfEarlierRounds(parserHeap) * 1.15) + SLACK_BYTES);
        assertThat(writerHeap.getLast()).as("writer heap per round %s", writerHeap)
            .isLessThanOrEqualTo((long) (medianOfEarlierRounds(writerHeap) * 1.15) + SLACK_BYTES);
    }

    private static long medianOfEarlierRounds(List<Long> heap) {
        List<Long> earlier = heap.subList(0, heap.size() - 1).stream().sorted().toList();
        return earlier.get(earlier.size() / 2);
    }

    /** Forces a full GC in the process, then sums what every heap generation still uses. */
    private static long retainedHeap(Path jcmd, long pid) throws IOException, InterruptedException {
        run(jcmd, pid, "GC.run");
        String info = run(jcmd, pid, "GC.heap_info");
        Matcher m = GENERATION_USED.matcher(info);
        long kib = 0;
        int generations = 0;
        while (m.find()) {
            kib += Long.parseLong(m.group(1));
            generations++;
        }
        assertThat(generations).as("heap generations in:%n%s", info).isGreaterThanOrEqualTo(2);
        return kib << 10;
    }

    private static String run(Path jcmd, long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
