package io.ast2graph.cli;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.model.ScanEvent;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scans the events topic tells of since a point in time, each folded into its {@link ScanProgress}: what
 * {@code ast2graph status} shows, from any machine that reaches the cluster. Reads from the first event at or after
 * that time (by the records' timestamps) up to the end the topic had when the read began.
 */
final class EventHistory {
    private EventHistory() {}

    /**
     * @param scanId only this scan, or every scan if empty
     * @return the scans in the order their first event was read
     */
    static Map<String, ScanProgress> read(KafkaSettings kafka, String eventsTopic, Instant since, Optional<String> scanId,
                                          Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaClients.reader(kafka, "ast2graph-status")) {
            List<PartitionInfo> infos = consumer.partitionsFor(eventsTopic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("the events topic " + eventsTopic + " does not exist: no scan ran "
                    + "against this cluster with this --topic-prefix");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                // No record at or after `since` in this partition: nothing to read there.
                consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            Map<String, ScanProgress> scans = new LinkedHashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the events topic " + eventsTopic + " within "
                        + timeout.toSeconds() + " s");
                }
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null || scanId.isPresent() && !scanId.get().equals(record.key())) {
                        continue;
                    }
                    ScanEvent event;
                    try {
                        event = Json.read(record.value(), ScanEvent.class);
                    } catch (RuntimeException e) {
                        // An event we cannot read (a newer format, garbage) says nothing we could show.
                        continue;
                    }
                    scans.computeIfAbsent(event.scanId(), ScanProgress::new).accept(event);
                }
            }
            return scans;
        }
    }
}
