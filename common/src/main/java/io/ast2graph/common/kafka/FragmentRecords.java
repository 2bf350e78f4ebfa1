package io.ast2graph.common.kafka;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.json.MalformedMessageException;
import io.ast2graph.common.json.StringPool;
import io.ast2graph.common.model.GraphFragment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Fragments as Kafka records. A deleted file is a real tombstone (null value) so that compaction of the fragments
 * topic eventually forgets it; its scan id and version travel in headers.
 */
public final class FragmentRecords {
    static final String SCAN_HEADER = "ast2graph.scan";
    static final String VERSION_HEADER = "ast2graph.version";

    private FragmentRecords() {}

    public static ProducerRecord<String, byte[]> toRecord(String topic, GraphFragment fragment) {
        var headers = new RecordHeaders();
        headers.add(SCAN_HEADER, fragment.scanId().getBytes(StandardCharsets.UTF_8));
        headers.add(VERSION_HEADER, Long.toString(fragment.version()).getBytes(StandardCharsets.UTF_8));
        byte[] value = fragment.isTombstone() ? null : Json.write(fragment);
        return new ProducerRecord<>(topic, null, fragment.key(), value, headers);
    }

    public static GraphFragment decode(ConsumerRecord<String, byte[]> record) {
        return decodeWith(record, null);
    }

    /** Decodes the record, the strings of its fragment taken from {@code pool}: for fragments held in memory together. */
    public static GraphFragment decode(ConsumerRecord<String, byte[]> record, StringPool pool) {
        return decodeWith(record, Objects.requireNonNull(pool, "pool"));
    }

    private static GraphFragment decodeWith(ConsumerRecord<String, byte[]> record, StringPool pool) {
        if (record.value() != null) {
            return pool == null ? Json.read(record.value(), GraphFragment.class)
                : Json.read(record.value(), GraphFragment.class, pool);
        }
        String key = record.key();
        int colon = key == null ? -1 : key.indexOf(':');
        if (colon <= 0) {
            throw new MalformedMessageException("tombstone without a repo:path key: " + key, null);
        }
        Header scan = record.headers().lastHeader(SCAN_HEADER);
        Header version = record.headers().lastHeader(VERSION_HEADER);
        long v;
        try {
            v = version == null ? record.timestamp() : Long.parseLong(new String(version.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new MalformedMessageException("tombstone with a bad version header", e);
        }
        return GraphFragment.tombstone(scan == null ? "" : new String(scan.value(), StandardCharsets.UTF_8),
            key.substring(0, colon), key.substring(colon + 1), v);
    }
}
