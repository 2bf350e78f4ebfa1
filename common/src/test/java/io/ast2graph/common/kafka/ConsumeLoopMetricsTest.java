package io.ast2graph.common.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The stage-tagged meters of the consume loop: what a dashboard of any worker is built from. */
class ConsumeLoopMetricsTest {
    private static final TopicPartition IN = new TopicPartition("in", 0);

    @Test
    void countsConsumedDeadLetteredByErrorTypeBatchSizesAndLag() throws Exception {
        MeterRegistry metrics = new SimpleMeterRegistry();
        var consumer = new MockConsumer<String, byte[]>("earliest");
        var producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        ConsumeLoop.Handler<String> handler = batch -> {
            if (batch.stream().anyMatch(input -> input.value().equals("bad"))) {
                throw new IllegalArgumentException("cannot take 'bad'");
            }
            return List.of();
        };
        var loop = new ConsumeLoop<>("stagex-0", consumer, List.of(IN.topic()),
            record -> new String(record.value(), StandardCharsets.UTF_8), handler,
            new DeadLetters(producer, "in.dlq", "test", Clock.systemUTC()),
            ConsumeLoop.Settings.defaults().withBatch(500, 1 << 20, Duration.ofMillis(10)), Clock.systemUTC(), metrics);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(IN));
            consumer.updateBeginningOffsets(Map.of(IN, 0L));
            // Two more records than this poll brings: the loop should see a lag of 2 once it has read these three.
            consumer.updateEndOffsets(Map.of(IN, 5L));
            List<String> values = new ArrayList<>(List.of("a", "bad", "c"));
            for (int offset = 0; offset < values.size(); offset++) {
                consumer.addRecord(new ConsumerRecord<>(IN.topic(), 0, offset, "k" + offset,
                    values.get(offset).getBytes(StandardCharsets.UTF_8)));
            }
        });
        Thread thread = Thread.ofPlatform().start(loop);
        try {
            await(() -> metrics.find("ast2graph.records.dead_lettered").counter() != null);
            await(() -> metrics.get("ast2graph.batch.records").summary().count() >= 1);

            assertThat(metrics.get("ast2graph.records.consumed").tag("stage", "stagex").counter().count()).isEqualTo(3);
            assertThat(metrics.get("ast2graph.records.dead_lettered")
                .tags("stage", "stagex", "error", "IllegalArgumentException").counter().count()).isEqualTo(1);
            var batches = metrics.get("ast2graph.batch.records").tag("stage", "stagex").summary();
            assertThat(batches.totalAmount()).as("all three records were handled in committed batches").isEqualTo(3);
            assertThat(metrics.get("ast2graph.batch.bytes").tag("stage", "stagex").summary().totalAmount())
                .isEqualTo("a".length() + "bad".length() + "c".length());
            assertThat(metrics.get("ast2graph.consumer.lag").tags("stage", "stagex", "loop", "stagex-0").gauge().value())
                .isEqualTo(2);
            assertThat(metrics.get("ast2graph.inflight.records").tags("stage", "stagex", "loop", "stagex-0").gauge().value())
                .isZero();
            assertThat(producer.history()).hasSize(1);
        } finally {
            loop.stop();
            thread.join(Duration.ofSeconds(10));
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
