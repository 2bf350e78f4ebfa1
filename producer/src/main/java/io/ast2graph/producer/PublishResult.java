package io.ast2graph.producer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SourcePublisher#publish} did.
 *
 * @param published     the number of files published, acknowledged by Kafka; the count of the PUBLISHED event
 * @param skipped       the files the publisher could not publish (unreadable, too large for a message), in order; the
 *                      walker's own skips are in its {@link WalkResult}
 * @param bytes         the source bytes of the published files
 * @param durationNanos from the first send to the last acknowledgement
 */
public record PublishResult(String scanId, long published, List<Skipped> skipped, long bytes, long durationNanos) {
    public PublishResult {
        Objects.requireNonNull(scanId, "scanId");
        skipped = List.copyOf(skipped);
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }
}
