package io.ast2graph.common.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Two consume loops of one process at a start gate, on Kafka's MockConsumer: neither handles a record early. */
class StartGateTest {
    private static final String TOPIC = "in";
    private static final ConsumeLoop.Settings FAST = new ConsumeLoop.Settings(2, 1 << 20, Duration.ofMillis(5),
        Duration.ofMillis(10), new Backoff(Duration.ofMillis(2), Duration.ofMillis(10)), Duration.ofSeconds(1));

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<ConsumeLoop<String>> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        loops.forEach(ConsumeLoop::stop);
        for (Thread thread : threads) {
            thread.join(5000);
        }
    }

    /** A consumer that gets {@code partition}, holding {@code values}, at its first poll after this call. */
    private static void assign(MockConsumer<String, byte[]> consumer, int partition, String... values) {
        consumer.schedulePollTask(() -> {
            var tp = new TopicPartition(TOPIC, partition);
            consumer.rebalance(List.of(tp));
            consumer.updateBeginningOffsets(Map.of(tp, 0L));
            for (int i = 0; i < values.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, partition, i, "k" + i, values[i].getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    private void start(MockConsumer<String, byte[]> consumer, StartGate gate, int index) {
        var loop = new ConsumeLoop<String>("gated-" + index, consumer, List.of(TOPIC),
            record -> new String(record.value(), StandardCharsets.UTF_8),
            batch -> {
                batch.forEach(input -> handled.add(input.value()));
                return List.of();
            },
            new DeadLetters(new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()), "in.dlq",
                "w", Clock.systemUTC()), FAST, Clock.systemUTC(), new SimpleMeterRegistry());
        loop.waitAt(gate, index);
        loops.add(loop);
        threads.add(Thread.ofPlatform().start(loop));
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void noLoopHandlesARecordBeforeEveryLoopOwnsAPartition() {
        var gate = new StartGate(2, Duration.ofSeconds(60), Clock.systemUTC());
        var first = new MockConsumer<String, byte[]>("earliest");
        var second = new MockConsumer<String, byte[]>("earliest");
        assign(first, 0, "a", "b", "c");
        start(first, gate, 0);
        start(second, gate, 1);

        // The first loop owns its partition and polls, with it paused: it handles nothing while the second owns none.
        await(() -> !first.assignment().isEmpty() && first.paused().containsAll(first.assignment()));
        LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
        assertThat(handled).isEmpty();

        assign(second, 1, "x", "y");

        await(() -> handled.size() == 5);
        assertThat(handled).containsExactlyInAnyOrder("a", "b", "c", "x", "y");
        assertThat(first.paused()).isEmpty();
    }

    @Test
    void theGateOpensAfterItsLongestWaitWhenALoopGetsNoPartition() {
        var gate = new StartGate(2, Duration.ofMillis(200), Clock.systemUTC());
        var first = new MockConsumer<String, byte[]>("earliest");
        assign(first, 0, "a", "b");
        start(first, gate, 0);
        // The second loop never gets a partition (another process holds them all, or there are fewer than loops).
        start(new MockConsumer<>("earliest"), gate, 1);

        await(() -> handled.size() == 2);
        assertThat(handled).containsExactly("a", "b");
    }
}
