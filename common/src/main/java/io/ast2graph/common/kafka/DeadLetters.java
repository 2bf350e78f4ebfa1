package io.ast2graph.common.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends records a worker cannot handle to its dead-letter topic, original key and value, error in the headers. */
public final class DeadLetters {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String worker;
    private final Clock clock;

    public DeadLetters(Producer<String, byte[]> producer, String topic, String worker, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.worker = worker;
        this.clock = clock;
    }

    /** Sends and waits for the broker's acknowledgement: the record is committed past only once it is safe. */
    public void send(ConsumerRecord<String, byte[]> record, Throwable error) throws DownstreamUnavailableException {
        var headers = new RecordHeaders(record.headers().toArray());
        ErrorEnvelope.of(error, record.topic(), record.partition(), record.offset(), worker, clock.instant())
            .writeTo(headers);
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
                .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DownstreamUnavailableException("cannot write to dead-letter topic " + topic + ": " + e.getMessage(), e);
        }
    }

    public String topic() {
        return topic;
    }
}
