package io.ast2graph.common.kafka;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pure batching buffer: {@link #add} returns a batch to flush when the rows or bytes limit is reached, and
 * {@link #drainIfLingered} returns what waited longer than the linger time. Time comes from the injected clock so
 * tests advance it instead of sleeping.
 *
 * <p>Bounded: it never holds more than one batch's limits plus one item (an item heavier than the limits is
 * returned alone at once). The row limit may change between calls (the writer adapts it to commit latency).
 */
public final class Batcher<T> {
    private final Clock clock;
    private final long maxBytes;
    private final long lingerMillis;
    private volatile int maxRows;

    private final List<T> items = new ArrayList<>();
    private long rows;
    private long bytes;
    private long firstAddedAt;

    public Batcher(Clock clock, int maxRows, long maxBytes, long lingerMillis) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("batch rows must be at least 1, was " + maxRows);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("batch bytes must be at least 1, was " + maxBytes);
        }
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("linger must not be negative, was " + lingerMillis);
        }
        this.clock = clock;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.lingerMillis = lingerMillis;
    }

    /** Adds an item weighing {@code itemRows} rows and {@code itemBytes} bytes; returns a full batch, if any. */
    public Optional<List<T>> add(T item, long itemRows, long itemBytes) {
        if (items.isEmpty()) {
            firstAddedAt = clock.millis();
        }
        items.add(item);
        rows += itemRows;
        bytes += itemBytes;
        if (rows >= maxRows || bytes >= maxBytes) {
            return Optional.of(drain());
        }
        return Optional.empty();
    }

    /** Returns the buffered items if the oldest has waited at least the linger time. */
    public Optional<List<T>> drainIfLingered() {
        if (!items.isEmpty() && clock.millis() - firstAddedAt >= lingerMillis) {
            return Optional.of(drain());
        }
        return Optional.empty();
    }

    /** Milliseconds until {@link #drainIfLingered} would return something; {@code Long.MAX_VALUE} when empty. */
    public long millisUntilLingered() {
        if (items.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, firstAddedAt + lingerMillis - clock.millis());
    }

    /** Removes and returns everything buffered. */
    public List<T> drain() {
        List<T> batch = List.copyOf(items);
        items.clear();
        rows = 0;
        bytes = 0;
        return batch;
    }

    /** Removes buffered items that match, e.g. the records of partitions this consumer no longer owns. */
    public void removeIf(java.util.function.Predicate<T> filter, java.util.function.ToLongFunction<T> rowsOf,
                         java.util.function.ToLongFunction<T> bytesOf) {
        var it = items.iterator();
        while (it.hasNext()) {
            T item = it.next();
            if (filter.test(item)) {
                it.remove();
                rows -= rowsOf.applyAsLong(item);
                bytes -= bytesOf.applyAsLong(item);
            }
        }
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int size() {
        return items.size();
    }

    public int maxRows() {
        return maxRows;
    }

    public void setMaxRows(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("batch rows must be at least 1, was " + maxRows);
        }
        this.maxRows = maxRows;
    }
}
