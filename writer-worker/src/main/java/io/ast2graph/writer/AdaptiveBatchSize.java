package io.ast2graph.writer;

/**
 * The writer's batch size in rows, adapted to measured commit latency: it grows by half while commits stay well
 * under the target latency, halves when a commit takes longer than the target or fails, and halves when the heap is
 * nearly full. Starts inside the seed design's 50–1000 guidance; bounded on both sides.
 */
public final class AdaptiveBatchSize {
    private final int min;
    private final int max;
    private final long targetMillis;
    private int current;

    public AdaptiveBatchSize(int initial, int min, int max, long targetMillis) {
        if (min < 1 || max < min || initial < min || initial > max) {
            throw new IllegalArgumentException("batch rows must satisfy 1 <= min <= initial <= max, was min=" + min
                + " initial=" + initial + " max=" + max);
        }
        if (targetMillis < 1) {
            throw new IllegalArgumentException("target commit latency must be positive, was " + targetMillis);
        }
        this.min = min;
        this.max = max;
        this.targetMillis = targetMillis;
        this.current = initial;
    }

    public synchronized int current() {
        return current;
    }

    /** A batch of {@code rows} committed in {@code millis}. */
    public synchronized void committed(long rows, long millis, double heapUsedFraction) {
        if (heapUsedFraction > 0.85 || millis > targetMillis) {
            current = Math.max(min, current / 2);
        } else if (millis < targetMillis / 2 && rows >= current / 2) {
            // Only a batch that was reasonably full says something about a bigger one.
            current = Math.min(max, current + Math.max(1, current / 2));
        }
    }

    /** A batch failed (timeout, unavailable): try smaller next time. */
    public synchronized void failed() {
        current = Math.max(min, current / 2);
    }
}
