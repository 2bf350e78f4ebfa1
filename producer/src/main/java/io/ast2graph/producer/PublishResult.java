package io.ast2graph.producer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link SourcePublisher#publish} did.
 *
 * @param published     the number of records published, acknowledged by Kafka (files plus deletions); the count of
 *                      the PUBLISHED event
 * @param skipped       the files the publisher could not publish (unreadable, too large for a message), in order; the
 *                      walker's own skips are in its {@link WalkResult}
 * @param bytes         the source bytes of the published files
 * @param durationNanos from the first send to the last acknowledgement
 * @param sha256ByPath  the hash of the content each published file's message names or carries, in publishing order
 * @param deleted       the paths published as deleted
 */
public record PublishResult(String scanId, long published, List<Skipped> skipped, long bytes, long durationNanos,
                            Map<String, String> sha256ByPath, List<String> deleted) {
    public PublishResult {
        Objects.requireNonNull(scanId, "scanId");
        skipped = List.copyOf(skipped);
        sha256ByPath = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sha256ByPath));
        deleted = List.copyOf(deleted);
    }

    /** The files published (without the deletions). */
    public long files() {
        return sha256ByPath.size();
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }
}
