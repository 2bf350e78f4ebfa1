package io.ast2graph.writer;

import io.ast2graph.common.kafka.ErrorEnvelope;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.TopicSetup;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.GraphRelationship;
import io.ast2graph.common.model.NodeIds;
import io.ast2graph.embedded.testing.SharedServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writer workers as they run in production — consume loop, real broker, real Neo4j — under the failures they must
 * survive: a fragment Neo4j refuses, Neo4j going away mid-stream, and several workers writing shared nodes at once.
 */
class WriterWorkerIT {
    static KafkaSettings kafka;
    static Neo4jSettings neo4j;
    static Neo4jGraphWriter graph;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        neo4j = Neo4jSettings.noAuth(SharedServers.neo4j().boltUri());
        graph = new Neo4jGraphWriter(Neo4jGraphWriter.connect(neo4j, Duration.ofSeconds(10)), "");
        graph.createSchema();
        producer = KafkaClients.producer(kafka, "writer-it");
    }

    @AfterAll
    static void close() {
        producer.close();
        graph.close();
    }

    private static Topics topics(String prefix) throws InterruptedException {
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(kafka.base())) {
            TopicSetup.ensureTopics(admin, topics, 4, (short) 1);
        }
        return topics;
    }

    private static WorkerGroup startWriters(Topics topics, String group, int threads, String workerId) {
        var config = new WriterConfig(kafka, topics, neo4j, group, "consumer", threads, 200, 1L << 20,
            Duration.ofMillis(20), Duration.ofSeconds(5), workerId);
        return WriterWorker.start(config, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private static void publish(Topics topics, List<GraphFragment> fragments) throws Exception {
        for (GraphFragment fragment : fragments) {
            producer.send(FragmentRecords.toRecord(topics.fragments(), fragment));
        }
        producer.flush();
    }

    private static long count(String cypher, Map<String, Object> params) {
        return (Long) graph.read(cypher, params).getFirst().values().iterator().next();
    }

    private static long files(String repo) {
        return count("MATCH (f:File {repo: $repo}) RETURN count(f)", Map.of("repo", repo));
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** Reads a whole (small) topic from the beginning. */
    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        try (var reader = KafkaClients.reader(kafka, "writer-it-reader")) {
            var partitions = reader.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Committed offsets of the group equal the end of the topic: nothing left to redo. */
    private static boolean allCommitted(String group, String topic) {
        try (Admin admin = Admin.create(kafka.base())) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            try (var reader = KafkaClients.reader(kafka, "writer-it-ends")) {
                var partitions = reader.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                Map<TopicPartition, Long> end = reader.endOffsets(partitions);
                return partitions.stream().allMatch(p -> end.get(p) == 0
                    || (committed.get(p) != null && committed.get(p).offset() == end.get(p)));
            }
        } catch (Exception e) {
            return false;
        }
    }

    private static List<GraphFragment> classes(String repo, int n) {
        List<GraphFragment> fragments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fragments.add(TestFragments.classWithMethods(repo, "p" + (i % 5), "C" + i, 1, "sha" + i, "m" + i, "run"));
        }
        return fragments;
    }

    @Test
    void aFragmentNeo4jRefusesGoesToTheDeadLetterTopicAndTheRestIsWritten() throws Exception {
        Topics topics = topics("poison");
        List<GraphFragment> fragments = new ArrayList<>(classes("poison", 9));
        // A map is not a valid Neo4j property value: Neo4j refuses the whole transaction that carries it.
        var bad = TestFragments.classWithMethods("poison", "p0", "Bad", 1, "bad");
        List<GraphNode> badNodes = new ArrayList<>(bad.nodes());
        badNodes.add(new GraphNode("Field", "poison:bad#f", List.of(), Map.of("name", "f", "nested", Map.of("a", 1L)), false));
        List<GraphRelationship> badRels = new ArrayList<>(bad.relationships());
        badRels.add(new GraphRelationship("DECLARES", "Type", TestFragments.typeId("poison", "p0", "Bad"), "Field", "poison:bad#f", Map.of()));
        fragments.add(4, new GraphFragment(bad.scanId(), bad.repo(), bad.path(), bad.sha256(), 1, bad.fileId(), 1,
            badNodes, badRels, List.of()));

        Instant before = Instant.now();
        WorkerGroup writers = startWriters(topics, "poison-writer", 1, "poison-it");
        try {
            publish(topics, fragments);
            await("9 good files written and all offsets committed", Duration.ofSeconds(60),
                () -> files("poison") == 9 && allCommitted("poison-writer", topics.fragments()));
        } finally {
            writers.stop(Duration.ofSeconds(30));
        }

        var origin = readAll(topics.fragments()).stream().filter(r -> r.key().equals(bad.key())).findFirst().orElseThrow();
        var dead = readAll(topics.fragmentsDlq());
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(bad.key());
            ErrorEnvelope envelope = ErrorEnvelope.readFrom(record.headers());
            assertThat(envelope.originTopic()).isEqualTo(topics.fragments());
            assertThat(envelope.originPartition()).isEqualTo(origin.partition());
            assertThat(envelope.originOffset()).isEqualTo(origin.offset());
            assertThat(envelope.errorType()).endsWith("Exception");
            assertThat(envelope.time()).isBetween(before, Instant.now());
            assertThat(envelope.worker()).startsWith("poison-it/writer-");
            assertThat(envelope.message()).isNotBlank();
            assertThat(envelope.stackTrace()).isNotBlank();
        });
        assertThat(count("MATCH (t:Type {name: 'Bad'}) RETURN count(t)", Map.of())).isZero();
    }

    @Test
    void neo4jStoppedMidStreamLosesNothingAndNothingIsCommittedEarly() throws Exception {
        Topics topics = topics("outage");
        List<GraphFragment> fragments = classes("outage", 60);
        WorkerGroup writers = startWriters(topics, "outage-writer", 2, "outage-it");
        try {
            publish(topics, fragments.subList(0, 20));
            await("the first 20 files written", Duration.ofSeconds(60), () -> files("outage") == 20);

            SharedServers.neo4j().stopServer();
            publish(topics, fragments.subList(20, 60));
            // The writers keep polling with paused partitions: they stay in the group and commit nothing new.
            long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < outageEnds) {
                assertThat(writers.isAlive()).isTrue();
                assertThat(allCommitted("outage-writer", topics.fragments())).isFalse();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            SharedServers.neo4j().startServer();

            await("all 60 files written and committed after Neo4j came back", Duration.ofSeconds(120),
                () -> files("outage") == 60 && allCommitted("outage-writer", topics.fragments()));
        } finally {
            if (!SharedServers.neo4j().isRunning()) {
                SharedServers.neo4j().startServer();
            }
            writers.stop(Duration.ofSeconds(30));
        }
        assertThat(readAll(topics.fragmentsDlq())).isEmpty();
        assertThat(count("MATCH (:File {repo: 'outage'})-[:DECLARES]->(:Type)-[:DECLARES]->(m:Method) RETURN count(m)",
            Map.of())).isEqualTo(120);
    }

    @Test
    void twoWorkersWithTwoThreadsEachWriteSharedNodesWithoutFailuresAndMatchASingleWriter() throws Exception {
        Topics topics = topics("concurrent");
        // 400 files over 5 shared packages, every type also depending on the same 3 shared external types.
        List<GraphFragment> fragments = new ArrayList<>();
        for (GraphFragment f : classes("concurrent", 400)) {
            List<GraphNode> nodes = new ArrayList<>(f.nodes());
            List<GraphRelationship> rels = new ArrayList<>(f.relationships());
            String typeId = f.nodes().stream().filter(n -> n.label().equals("Type")).findFirst().orElseThrow().id();
            for (String external : List.of("java.lang.Object", "java.util.List", "java.lang.String")) {
                String externalId = NodeIds.pkg(external);
                nodes.add(new GraphNode("Type", "ext:" + externalId, List.of(), Map.of("fqn", external, "external", true), true));
                rels.add(new GraphRelationship("DEPENDS_ON", "Type", typeId, "Type", "ext:" + externalId, Map.of()));
            }
            fragments.add(new GraphFragment(f.scanId(), f.repo(), f.path(), f.sha256(), f.version(), f.fileId(),
                f.builderVersion(), nodes, rels, List.of()));
        }

        var metricsA = new SimpleMeterRegistry();
        var metricsB = new SimpleMeterRegistry();
        var config = new WriterConfig(kafka, topics, neo4j, "concurrent-writer", "consumer", 2, 200, 1L << 20,
            Duration.ofMillis(20), Duration.ofSeconds(30), "a");
        WorkerGroup a = WriterWorker.start(config, Clock.systemUTC(), metricsA);
        WorkerGroup b = WriterWorker.start(new WriterConfig(kafka, topics, neo4j, "concurrent-writer", "consumer", 2, 200,
            1L << 20, Duration.ofMillis(20), Duration.ofSeconds(30), "b"), Clock.systemUTC(), metricsB);
        try {
            publish(topics, fragments);
            await("400 files written by two workers", Duration.ofSeconds(120),
                () -> files("concurrent") == 400 && allCommitted("concurrent-writer", topics.fragments()));
        } finally {
            a.stop(Duration.ofSeconds(30));
            b.stop(Duration.ofSeconds(30));
        }
        // Dead letters are counted per error type: sum every type's counter.
        double deadLettered = Stream.of(metricsA, metricsB)
            .flatMap(m -> m.find("ast2graph.records.dead_lettered").tag("stage", "writer").counters().stream())
            .mapToDouble(Counter::count).sum();
        double retried = metricsA.counter("ast2graph.batch.retries", "stage", "writer").count()
            + metricsB.counter("ast2graph.batch.retries", "stage", "writer").count();
        assertThat(deadLettered).as("dead-lettered fragments").isZero();
        assertThat(retried).as("batches that failed and were retried by the loop").isZero();
        assertThat(readAll(topics.fragmentsDlq())).isEmpty();
        List<String> concurrent = repoLines("concurrent");

        // The same fragments, one transaction after another, into a clean slate.
        graph.driver().executableQuery("MATCH (n) WHERE n.repo = 'concurrent' OR n.id STARTS WITH 'concurrent:' "
            + "OR n.id STARTS WITH 'ext:' DETACH DELETE n").execute();
        for (int i = 0; i < fragments.size(); i += 50) {
            graph.write(fragments.subList(i, Math.min(fragments.size(), i + 50)));
        }
        assertThat(repoLines("concurrent")).isEqualTo(concurrent);
    }

    /** The canonical lines of the graph that involve one repo's nodes (other tests share the database). */
    private static List<String> repoLines(String repo) {
        return GraphFingerprint.lines(graph.driver(), "", Set.of()).stream()
            .filter(line -> line.contains(repo + ":") || line.contains("repo=" + repo) || line.contains("ext:"))
            .collect(Collectors.toList());
    }
}
