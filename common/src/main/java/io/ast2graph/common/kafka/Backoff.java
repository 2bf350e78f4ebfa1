package io.ast2graph.common.kafka;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter: attempt n waits a random time in [0, min(max, initial * 2^n)].
 *
 * <p>Hand-written rather than taken from a retry library on purpose: the consume loop must keep calling
 * {@code poll()} while it waits (to stay in its consumer group), so it needs the delays, not a blocking executor.
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
        }
    }

    /** The ceiling of attempt {@code attempt} (0-based), before jitter. */
    public long ceilingMillis(int attempt) {
        long ceiling = initial.toMillis() << Math.min(attempt, 30);
        return ceiling <= 0 ? max.toMillis() : Math.min(max.toMillis(), ceiling);
    }

    /** A jittered delay for attempt {@code attempt} (0-based), at least 1 ms. */
    public Duration delay(int attempt) {
        long ceiling = ceilingMillis(attempt);
        return Duration.ofMillis(1 + ThreadLocalRandom.current().nextLong(ceiling));
    }
}
