package io.ast2graph.common.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The consume loop against Kafka's MockConsumer/MockProducer: what it commits, retries and dead-letters. */
class ConsumeLoopTest {
    private static final String TOPIC = "in";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<String, byte[]> dlqProducer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private Thread thread;
    private ConsumeLoop<String> loop;

    private static final ConsumeLoop.Settings FAST = new ConsumeLoop.Settings(4, 1 << 20, Duration.ofMillis(5),
        Duration.ofMillis(10), new Backoff(Duration.ofMillis(2), Duration.ofMillis(10)), Duration.ofSeconds(1));

    private void start(ConsumeLoop.Handler<String> handler, String... values) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
            for (int i = 0; i < values.length; i++) {
                byte[] value = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "k" + i, value));
            }
        });
        loop = new ConsumeLoop<>("test-0", consumer, List.of(TOPIC), record -> {
            if (record.value() == null) {
                throw new IllegalArgumentException("no value");
            }
            return new String(record.value(), StandardCharsets.UTF_8);
        }, handler, new DeadLetters(dlqProducer, "in.dlq", "w1", Clock.systemUTC()), FAST, Clock.systemUTC(),
            new SimpleMeterRegistry());
        thread = Thread.ofPlatform().start(loop);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.stop();
            thread.join(5000);
        }
    }

    private long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(P0)).get(P0);
        return offset == null ? -1 : offset.offset();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private ConsumeLoop.Handler<String> recording() {
        return batch -> {
            batch.forEach(input -> handled.add(input.value()));
            return List.of();
        };
    }

    @Test
    void commitsEveryRecordAfterItsBatchIsHandled() throws InterruptedException {
        start(recording(), "a", "b", "c", "d", "e");

        await(() -> committed() == 5);

        assertThat(handled).containsExactly("a", "b", "c", "d", "e");
        assertThat(dlqProducer.history()).isEmpty();
    }

    @Test
    void aPoisonRecordIsIsolatedAndDeadLetteredWhileTheRestCommits() throws InterruptedException {
        start(batch -> {
            if (batch.stream().anyMatch(input -> input.value().equals("poison"))) {
                throw new IllegalStateException("cannot take poison");
            }
            batch.forEach(input -> handled.add(input.value()));
            return List.of();
        }, "a", "poison", "c", "d");

        await(() -> committed() == 4);

        assertThat(handled).containsExactlyInAnyOrder("a", "c", "d");
        assertThat(dlqProducer.history()).hasSize(1);
        ProducerRecord<String, byte[]> dead = dlqProducer.history().getFirst();
        assertThat(dead.topic()).isEqualTo("in.dlq");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
        ErrorEnvelope envelope = ErrorEnvelope.readFrom(dead.headers());
        assertThat(envelope.errorType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(envelope.message()).isEqualTo("cannot take poison");
        assertThat(envelope.originTopic()).isEqualTo(TOPIC);
        assertThat(envelope.originOffset()).isEqualTo(1);
        assertThat(envelope.worker()).isEqualTo("w1");
        assertThat(envelope.stackTrace()).contains("ConsumeLoopTest");
    }

    @Test
    void anUndecodableRecordIsDeadLetteredWithoutReachingTheHandler() throws InterruptedException {
        start(recording(), "a", null, "c");

        await(() -> committed() == 3);

        assertThat(handled).containsExactly("a", "c");
        assertThat(dlqProducer.history()).singleElement()
            .satisfies(r -> assertThat(ErrorEnvelope.readFrom(r.headers()).message()).isEqualTo("no value"));
    }

    @Test
    void recordsTheHandlerRejectsAreDeadLetteredAndCommitted() throws InterruptedException {
        start(batch -> {
            List<ConsumeLoop.Rejected<String>> rejected = new ArrayList<>();
            for (var input : batch) {
                if (input.value().startsWith("../")) {
                    rejected.add(new ConsumeLoop.Rejected<>(input, new IllegalArgumentException("escapes the root")));
                } else {
                    handled.add(input.value());
                }
            }
            return rejected;
        }, "ok", "../etc/passwd");

        await(() -> committed() == 2);

        assertThat(handled).containsExactly("ok");
        assertThat(dlqProducer.history()).singleElement()
            .satisfies(r -> assertThat(ErrorEnvelope.readFrom(r.headers()).message()).isEqualTo("escapes the root"));
    }

    @Test
    void whileDownstreamIsUnavailableNothingIsCommittedThePartitionsPauseAndTheBatchIsRetried()
        throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        List<Long> committedDuringOutage = Collections.synchronizedList(new ArrayList<>());
        List<Set<TopicPartition>> pausedDuringRetry = Collections.synchronizedList(new ArrayList<>());
        start(batch -> {
            int attempt = attempts.incrementAndGet();
            if (attempt > 1) {
                pausedDuringRetry.add(Set.copyOf(consumer.paused()));
            }
            if (attempt <= 3) {
                committedDuringOutage.add(committed());
                throw new DownstreamUnavailableException("neo4j down", null);
            }
            batch.forEach(input -> handled.add(input.value()));
            return List.of();
        }, "a", "b");

        // The loop commits, then resumes: wait for both, or a loaded machine sees the partitions still paused.
        await(() -> committed() == 2 && consumer.paused().isEmpty());

        assertThat(attempts.get()).isEqualTo(4);
        assertThat(committedDuringOutage).containsOnly(-1L);
        assertThat(pausedDuringRetry).allSatisfy(paused -> assertThat(paused).contains(P0));
        assertThat(handled).containsExactly("a", "b");
        assertThat(dlqProducer.history()).isEmpty();
    }

    @Test
    void anErrorNoRetryCanFixStopsTheLoopAndSaysWhy() throws InterruptedException {
        start(batch -> {
            throw new AuthorizationException("not allowed to write");
        }, "a");

        thread.join(10_000);

        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.failure()).isInstanceOf(AuthorizationException.class);
        assertThat(consumer.closed()).isTrue();
        // Not mistaken for a poison record: nothing was dead-lettered.
        assertThat(dlqProducer.history()).isEmpty();
    }

    @Test
    void stopEndsTheLoopAndClosesTheConsumer() throws InterruptedException {
        start(recording(), "a");
        await(() -> committed() == 1);

        loop.stop();

        assertThat(loop.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(loop.failure()).isNull();
        assertThat(consumer.closed()).isTrue();
    }
}
