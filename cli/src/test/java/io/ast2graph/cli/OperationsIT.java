package io.ast2graph.cli;

import io.ast2graph.common.kafka.DeadLetters;
import io.ast2graph.common.kafka.ErrorEnvelope;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The recovery commands against the real broker and database: dlq, replay, rebuild. */
class OperationsIT {
    @TempDir
    Path tmp;

    private static KafkaSettings kafka() {
        return KafkaSettings.of(SharedServers.kafka().bootstrapServers());
    }

    private static Topics topics(String prefix) throws InterruptedException {
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(kafka().base())) {
            TopicSetup.ensureTopics(admin, topics, 3, (short) 1);
        }
        return topics;
    }

    record Run(int exit, String out) {}

    private static Run run(Object command, PrintStream out, ByteArrayOutputStream buffer, String... args) {
        int exit = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        out.flush();
        return new Run(exit, buffer.toString(StandardCharsets.UTF_8));
    }

    private static String[] args(String prefix, String... rest) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", kafka().bootstrapServers(), "--topic-prefix", prefix));
        all.addAll(Arrays.asList(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void deadLettersAreListedShownAndRetriedToWhereTheyCameFrom() throws Exception {
        Topics topics = topics("opsdlq");
        try (var producer = KafkaClients.producer(kafka(), "ops-it")) {
            var dlq = new DeadLetters(producer, topics.fragmentsDlq(), "worker-7", Clock.systemUTC());
            dlq.send(new ConsumerRecord<>(topics.fragments(), 2, 41L, "repo:A.java", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new IllegalStateException("Neo4j refused it"));
            dlq.send(new ConsumerRecord<>(topics.fragments(), 1, 7L, "repo:B.java", "{\"b\":2}".getBytes(StandardCharsets.UTF_8)),
                new IllegalArgumentException("bad label"));
        }

        var listBuf = new ByteArrayOutputStream();
        var listOut = new PrintStream(listBuf, true, StandardCharsets.UTF_8);
        Run list = run(new DlqCommand.ListRecords(listOut), listOut, listBuf, args("opsdlq", "--stage", "writer"));
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("repo:A.java", "IllegalStateException", "Neo4j refused it", "repo:B.java",
            "IllegalArgumentException", "(2 records in opsdlq.fragments.dlq)");

        var showBuf = new ByteArrayOutputStream();
        var showOut = new PrintStream(showBuf, true, StandardCharsets.UTF_8);
        Run show = run(new DlqCommand.Show(showOut), showOut, showBuf, args("opsdlq", "--stage", "writer", "0"));
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("origin:     opsdlq.fragments-2@41", "worker:     worker-7",
            "java.lang.IllegalStateException: Neo4j refused it", "at io.ast2graph.cli.OperationsIT");

        var retryBuf = new ByteArrayOutputStream();
        var retryOut = new PrintStream(retryBuf, true, StandardCharsets.UTF_8);
        Run retry = run(new DlqCommand.Retry(retryOut), retryOut, retryBuf,
            args("opsdlq", "--stage", "writer", "--error-type", "IllegalArgumentException"));
        assertThat(retry.exit()).isZero();
        assertThat(retry.out()).contains("1 record sent back");

        List<ConsumerRecord<String, byte[]>> back = readAll(topics.fragments());
        assertThat(back).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("repo:B.java");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
            assertThat(r.headers().lastHeader(ErrorEnvelope.PREFIX + "type")).isNull();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void replayWaitsForTheGroupToBeEmptyThenResetsItsOffsets(String protocol) throws Exception {
        String prefix = "opsreplay" + protocol;
        Topics topics = topics(prefix);
        String group = prefix + "-writer";
        try (var producer = KafkaClients.producer(kafka(), "ops-it")) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topics.fragments(), "k" + i, new byte[] {1}));
            }
            producer.flush();
        }
        var consumer = KafkaClients.consumer(kafka(), group, "live-member", protocol, 100);
        consumer.subscribe(List.of(topics.fragments()));
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen < 30 && System.nanoTime() < deadline) {
            seen += consumer.poll(Duration.ofMillis(200)).count();
            consumer.commitSync();
        }
        assertThat(seen).isEqualTo(30);

        // While a member is up, nothing changes and the user is told who it is.
        var busyBuf = new ByteArrayOutputStream();
        var busyOut = new PrintStream(busyBuf, true, StandardCharsets.UTF_8);
        Run busy = run(new ReplayCommand(busyOut), busyOut, busyBuf,
            args(prefix, "--group", "writer", "--group-id", group, "--to-earliest", "--wait", "2"));
        assertThat(busy.exit()).isEqualTo(1);
        assertThat(busy.out()).contains("live-member", "nothing changed");
        assertThat(committed(group, topics.fragments())).isEqualTo(30);

        consumer.close();
        var buf = new ByteArrayOutputStream();
        var out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Run replay = run(new ReplayCommand(out), out, buf,
            args(prefix, "--group", "writer", "--group-id", group, "--to-earliest", "--wait", "30"));
        assertThat(replay.exit()).as(replay.out()).isZero();
        assertThat(replay.out()).contains("30 records will be processed again");
        assertThat(committed(group, topics.fragments())).isZero();

        // A timestamp after every record: nothing to replay, offsets at the end.
        var laterBuf = new ByteArrayOutputStream();
        var laterOut = new PrintStream(laterBuf, true, StandardCharsets.UTF_8);
        Run later = run(new ReplayCommand(laterOut), laterOut, laterBuf, args(prefix, "--group", "writer", "--group-id", group,
            "--to-timestamp", String.valueOf(System.currentTimeMillis() + 3_600_000)));
        assertThat(later.exit()).as(later.out()).isZero();
        assertThat(committed(group, topics.fragments())).isEqualTo(30);
    }

    @Test
    void rebuildWritesTheSameGraphFromTheFragmentsTopicAlone() throws Exception {
        Path repo = SampleRepo.copyTo(tmp.resolve("sample"));
        Map<String, Object> none = Map.of();
        try (var graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(
            io.ast2graph.writer.Neo4jSettings.noAuth(SharedServers.neo4j().boltUri()), Duration.ofSeconds(10)), "")) {
            graph.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
            try (InJvmWorkers workers = InJvmWorkers.start("opsrebuild", 1, 1, Optional.of(repo))) {
                var scanBuf = new ByteArrayOutputStream();
                var scanOut = new PrintStream(scanBuf, true, StandardCharsets.UTF_8);
                List<String> scanArgs = new ArrayList<>(List.of(workers.scanArgs()));
                scanArgs.addAll(List.of("--repo", "sample", "--timeout", "120", repo.toString()));
                Run scan = run(new ScanCommand(scanOut), scanOut, scanBuf, scanArgs.toArray(String[]::new));
                assertThat(scan.exit()).as(scan.out()).isZero();
            }
            List<String> scanned = GraphFingerprint.lines(graph.driver(), "", Set.of());
            assertThat(scanned).isNotEmpty();

            graph.driver().executableQuery("MATCH (n) DETACH DELETE n").execute();
            var buf = new ByteArrayOutputStream();
            var out = new PrintStream(buf, true, StandardCharsets.UTF_8);
            Run rebuild = run(new RebuildCommand(out), out, buf, args("opsrebuild", "--neo4j-uri", SharedServers.neo4j().boltUri()));
            assertThat(rebuild.exit()).as(rebuild.out()).isZero();
            assertThat(rebuild.out()).contains("rebuilt 5 files");
            assertThat(GraphFingerprint.lines(graph.driver(), "", Set.of())).isEqualTo(scanned);

            // Into a graph that is not empty, only when asked.
            var againBuf = new ByteArrayOutputStream();
            var againOut = new PrintStream(againBuf, true, StandardCharsets.UTF_8);
            Run again = run(new RebuildCommand(againOut), againOut, againBuf,
                args("opsrebuild", "--neo4j-uri", SharedServers.neo4j().boltUri()));
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.out()).contains("already holds");
            assertThat(graph.read("MATCH (n) WHERE NOT n:LinkLock RETURN count(n) AS n", none).getFirst().get("n")).isEqualTo((long) scanned.stream()
                .filter(l -> l.startsWith("N ")).count());
        }
    }

    private static long committed(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka().base())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (var reader = KafkaClients.reader(kafka(), "ops-it-reader")) {
            var partitions = reader.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            var end = reader.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
