package io.ast2graph.common.kafka;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.model.ScanEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reports scan progress to the events topic, keyed by scan id so one scan's events stay in order. Not thread-safe:
 * each consume loop has its own.
 */
public final class ScanEvents {
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public ScanEvents(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public void send(ScanEvent event) {
        pending.add(producer.send(new ProducerRecord<>(topic, event.scanId(), Json.write(event))));
    }

    /** Waits until every event sent so far is acknowledged. */
    public void awaitSent() throws DownstreamUnavailableException {
        try {
            for (Future<RecordMetadata> future : pending) {
                future.get(120, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException("interrupted while reporting progress", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DownstreamUnavailableException("cannot report progress to " + topic + ": " + e.getMessage(), e);
        } finally {
            pending.clear();
        }
    }
}
