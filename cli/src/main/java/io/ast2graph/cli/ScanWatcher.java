package io.ast2graph.cli;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.model.ScanEvent;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;

/**
 * Follows the events topic for one scan. Created <em>before</em> the scan publishes anything: it starts at the
 * topic's current end, so it sees every event of the new scan and none of the history.
 */
final class ScanWatcher implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final ScanProgress progress;
    private final ScanReport report;

    ScanWatcher(KafkaSettings kafka, String eventsTopic, String scanId) {
        this.consumer = KafkaClients.reader(kafka, "ast2graph-watch-" + scanId);
        this.progress = new ScanProgress(scanId);
        this.report = new ScanReport(scanId);
        List<PartitionInfo> partitions = consumer.partitionsFor(eventsTopic, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("the events topic " + eventsTopic + " does not exist");
        }
        List<TopicPartition> assigned = partitions.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        // Resolve the end positions now, before anything is published.
        assigned.forEach(consumer::position);
    }

    /** Reads what arrived within {@code timeout}; returns the (updated) progress. */
    ScanProgress poll(Duration timeout) {
        for (var record : consumer.poll(timeout)) {
            if (record.value() == null) {
                continue;
            }
            try {
                ScanEvent event = Json.read(record.value(), ScanEvent.class);
                progress.accept(event);
                report.accept(event);
            } catch (RuntimeException e) {
                // An event we cannot read (a newer format, garbage) says nothing about this scan.
            }
        }
        return progress;
    }

    ScanReport report() {
        return report;
    }

    ScanProgress progress() {
        return progress;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
