package io.ast2graph.producer;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.model.ManifestEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestStoreTest {
    private static final String TOPIC = "test.manifest";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final MockProducer<String, byte[]> producer =
        new MockProducer<>(/* autoComplete= */ true, /* partitioner= */ null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void theHighestVersionOfEveryFileHoldsWhateverOrderTheRecordsCameIn() {
        topicHolds(List.of(
            entry("A.java", "new", 2), entry("A.java", "old", 1),    // a slow older scan recorded after a newer one
            entry("B.java", "b", 3), deletion("B.java", 5),           // deleted later
            deletion("C.java", 1), entry("C.java", "c", 2),           // deleted, then added again
            entry("D.java", "d", 4),
            record("shopx:A.java", Json.write(new ManifestEntry("shopx", "A.java", "x", 9, "s")), new RecordHeaders())));

        try (var store = new ManifestStore(consumer, producer, TOPIC, "shop")) {
            Map<String, ManifestEntry> manifest = store.load(TIMEOUT);

            assertThat(manifest).containsOnlyKeys("A.java", "C.java", "D.java");
            assertThat(manifest.get("A.java").sha256()).isEqualTo("new");
            assertThat(manifest.get("C.java").sha256()).isEqualTo("c");
        }
    }

    @Test
    void recordLeavesOutFilesTheTopicHoldsWithANewerVersion() throws Exception {
        topicHolds(List.of(entry("A.java", "newer", 7), entry("C.java", "c", 7)));

        try (var store = new ManifestStore(consumer, producer, TOPIC, "shop")) {
            store.load(TIMEOUT);
            int written = store.record(
                List.of(new ManifestEntry("shop", "A.java", "older", 5, "s5"), new ManifestEntry("shop", "B.java", "b", 5, "s5")),
                Map.of("C.java", 5L, "E.java", 5L), TIMEOUT);

            assertThat(written).isEqualTo(2);
            List<ProducerRecord<String, byte[]>> sent = producer.history();
            assertThat(sent).extracting(ProducerRecord::key).containsExactly("shop:B.java", "shop:E.java");
            assertThat(Json.read(sent.get(0).value(), ManifestEntry.class).sha256()).isEqualTo("b");
            assertThat(sent.get(1).value()).as("a deletion is a tombstone").isNull();
            assertThat(new String(sent.get(1).headers().lastHeader(ManifestStore.VERSION_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("5");
        }
    }

    @Test
    void aMissingTopicIsAnErrorThatSaysSo() {
        consumer.updatePartitions(TOPIC, List.of());
        try (var store = new ManifestStore(consumer, producer, TOPIC, "shop")) {
            assertThatThrownBy(() -> store.load(TIMEOUT)).hasMessageContaining("manifest topic " + TOPIC + " does not exist");
        }
    }

    private void topicHolds(List<ConsumerRecord<String, byte[]>> records) {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, (long) records.size()));
        // Records can be added only once the store assigned the partition, i.e. at its first poll.
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
    }

    private int offset;

    private ConsumerRecord<String, byte[]> entry(String path, String sha, long version) {
        return record("shop:" + path, Json.write(new ManifestEntry("shop", path, sha, version, "scan-" + version)),
            new RecordHeaders());
    }

    private ConsumerRecord<String, byte[]> deletion(String path, long version) {
        var headers = new RecordHeaders();
        headers.add(ManifestStore.VERSION_HEADER, Long.toString(version).getBytes(StandardCharsets.UTF_8));
        return record("shop:" + path, null, headers);
    }

    private ConsumerRecord<String, byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(TOPIC, 0, offset++, 0L, TimestampType.CREATE_TIME, -1, value == null ? -1 : value.length,
            key, value, headers, Optional.empty());
    }
}
