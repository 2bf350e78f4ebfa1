package io.ast2graph.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;

/** The client settings every stage shares: durable producers, manually committed consumers. */
public final class KafkaClients {
    /** The largest message the pipeline sends; topics are created to accept it. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private KafkaClients() {}

    /**
     * A producer whose acknowledged sends are durable (acks=all) and never duplicated by its own retries
     * (idempotence), compressing batches with LZ4, the cheapest codec in CPU for JSON.
     */
    public static KafkaProducer<String, byte[]> producer(KafkaSettings settings, String clientId) {
        Map<String, Object> props = settings.base();
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * A consumer in {@code groupId} that never commits on its own: the consume loop commits only what is durable.
     *
     * @param groupProtocol "consumer" (the rebalance protocol of KIP-848, incremental and server-side) or "classic"
     */
    public static KafkaConsumer<String, byte[]> consumer(KafkaSettings settings, String groupId, String clientId,
                                                         String groupProtocol, int maxPollRecords) {
        Map<String, Object> props = settings.base();
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(ConsumerConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
        // A batch may wait for Neo4j; the loop keeps polling while it does, but a very large batch can take minutes.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A consumer outside any group, for reading progress events or inspecting topics. */
    public static KafkaConsumer<String, byte[]> reader(KafkaSettings settings, String clientId) {
        Map<String, Object> props = settings.base();
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
