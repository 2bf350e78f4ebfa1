package io.ast2graph.producer;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.model.FileKey;
import io.ast2graph.common.model.ManifestEntry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The manifest of one repository on the compacted manifest topic: per file, what the last completed scan published
 * (see {@link ManifestEntry}). Kafka is the store, so the state survives restarts of everything, is shared by every
 * machine that scans, and needs no database (the producer never talks to Neo4j).
 *
 * <p>A scan {@link #load loads} the manifest before it publishes and {@link #record records} its changes only once
 * the writers committed them, so an interrupted scan leaves the manifest as it was and the next scan publishes its
 * changes again. Overlapping scans: each entry carries the version its scan published the file with, the reader keeps
 * the entry with the highest version of every file (not the last one written), and {@link #record} first catches up
 * with the topic and leaves out every file the topic already holds with a newer version. So a slow older scan that
 * completes after a newer one cannot make the manifest claim content the graph does not hold; the writers already
 * keep the newer graph. What remains is a window of one round trip between catching up and writing, in which two
 * scans completing at the same moment may leave the older entry; its only effect is that the next scan republishes
 * that file.
 *
 * <p>The consumer is assigned every partition of the topic and owned by this store; it reads the whole topic, so
 * every repository's entries pass by (compaction keeps one record per file). Not thread-safe.
 */
public final class ManifestStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManifestStore.class);
    static final String VERSION_HEADER = "ast2graph.version";

    /** The latest state of one file: its entry, or its deletion (entry empty) at a version. */
    private record State(long version, ManifestEntry entry) {}

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String repo;
    private final String keyPrefix;
    private final Map<String, State> states = new HashMap<>();
    private boolean assigned;

    /**
     * @param consumer a consumer outside any group; this store assigns it and closes it
     * @param producer the producer to write entries with; the caller's, not closed here
     */
    public ManifestStore(Consumer<String, byte[]> consumer, Producer<String, byte[]> producer, String topic, String repo) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.repo = Objects.requireNonNull(repo, "repo");
        this.keyPrefix = FileKey.of(repo, "");
    }

    /**
     * Reads the topic up to its current end.
     *
     * @return the repository's files, by path, as the last completed scans left them
     * @throws IllegalStateException if the topic does not exist or its end is not reached within {@code timeout}
     */
    public Map<String, ManifestEntry> load(Duration timeout) {
        catchUp(timeout);
        Map<String, ManifestEntry> manifest = new TreeMap<>();
        states.forEach((path, state) -> {
            if (state.entry() != null) {
                manifest.put(path, state.entry());
            }
        });
        return manifest;
    }

    /**
     * Records what a completed scan changed: an entry per file it published and the writers committed, a tombstone
     * per deletion they committed. A file the topic meanwhile holds with a newer version is left out (see the class
     * comment). Returns once Kafka acknowledged every record.
     *
     * @param written  the entries of the published files that were written
     * @param deleted  path → version of the deletions that were written
     * @return the number of records written
     * @throws PublishException if Kafka did not take them; the next scan then publishes these files again
     */
    public int record(List<ManifestEntry> written, Map<String, Long> deleted, Duration timeout)
        throws InterruptedException {
        catchUp(timeout);
        var window = new SendWindow(10_000, 64L * 1024 * 1024);
        int records = 0;
        for (ManifestEntry entry : written) {
            if (!entry.repo().equals(repo)) {
                throw new IllegalArgumentException("entry of repo " + entry.repo() + " in the manifest of " + repo);
            }
            if (isNewer(entry.path(), entry.version())) {
                send(window, new ProducerRecord<>(topic, entry.key(), Json.write(entry)), entry.path());
                records++;
            }
        }
        for (var deletion : deleted.entrySet()) {
            if (isNewer(deletion.getKey(), deletion.getValue())) {
                var headers = new RecordHeaders();
                headers.add(VERSION_HEADER, Long.toString(deletion.getValue()).getBytes(StandardCharsets.UTF_8));
                send(window, new ProducerRecord<>(topic, null, FileKey.of(repo, deletion.getKey()), null, headers),
                    deletion.getKey());
                records++;
            }
        }
        window.drain(producer);
        return records;
    }

    private boolean isNewer(String path, long version) {
        State state = states.get(path);
        return state == null || state.version() <= version;
    }

    private void send(SendWindow window, ProducerRecord<String, byte[]> record, String path) throws InterruptedException {
        int size = record.value() == null ? 0 : record.value().length;
        window.makeRoom(size);
        window.add(producer.send(record), "the manifest entry of " + path + " to topic " + topic, size);
    }

    private void catchUp(Duration timeout) {
        List<TopicPartition> partitions = assign(timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        while (!reached(ends)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the manifest topic " + topic + " to its end within "
                    + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                read++;
                accept(record);
            }
        }
        log.debug("manifest {}: read {} records, {} files of repo {}", topic, read, states.size(), repo);
    }

    private List<TopicPartition> assign(Duration timeout) {
        if (assigned) {
            return List.copyOf(consumer.assignment());
        }
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the manifest topic " + topic + " does not exist; the scan creates it");
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        assigned = true;
        return partitions;
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (var end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null || !key.startsWith(keyPrefix)) {
            return;
        }
        String path = key.substring(keyPrefix.length());
        State state;
        try {
            if (record.value() == null) {
                Header version = record.headers().lastHeader(VERSION_HEADER);
                state = new State(version == null ? Long.MAX_VALUE
                    : Long.parseLong(new String(version.value(), StandardCharsets.UTF_8)), null);
            } else {
                ManifestEntry entry = Json.read(record.value(), ManifestEntry.class);
                state = new State(entry.version(), entry);
            }
        } catch (RuntimeException e) {
            // An entry we cannot read counts as unknown: the file is published again, which is always safe.
            log.warn("manifest {}: unreadable entry for {} at offset {}, ignored: {}", topic, key, record.offset(), e.toString());
            states.remove(path);
            return;
        }
        // The highest version holds; on a tie the later record does (a scan recording the same version twice).
        states.merge(path, state, (old, neu) -> neu.version() >= old.version() ? neu : old);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
