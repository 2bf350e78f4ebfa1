package io.ast2graph.common.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Kafka's own client metrics (fetch lag, request latency, buffer use...) as meters, through Micrometer's binder: it
 * reads the client's metric registry, which is safe from any thread, and picks up metrics the client creates later
 * (e.g. per partition) on a periodic refresh. Close the returned binder when the client closes.
 */
public final class KafkaClientMeters {
    private KafkaClientMeters() {}

    public static AutoCloseable bind(Consumer<?, ?> consumer, Tags tags, MeterRegistry registry) {
        var binder = new KafkaClientMetrics(consumer, tags);
        binder.bindTo(registry);
        return binder;
    }

    public static AutoCloseable bind(Producer<?, ?> producer, Tags tags, MeterRegistry registry) {
        var binder = new KafkaClientMetrics(producer, tags);
        binder.bindTo(registry);
        return binder;
    }
}
