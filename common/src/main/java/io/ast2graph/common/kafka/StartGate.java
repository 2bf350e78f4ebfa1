package io.ast2graph.common.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Holds back the consume loops of one process until each of them owns a partition, or for at most a while.
 *
 * <p>The loops of a worker join the consumer group together, but the group's first assignment gives every partition
 * to the first member it sees. The others get theirs only after that member revokes them, which it does in a poll,
 * and a loop handling a batch polls once per batch: a second writer thread sat idle for 13 to 27 s at the start of a
 * load. Loops held at the gate poll every 100 ms with their partitions paused, so the group settles in a second or
 * two, and then they all start handling records at once.
 */
public final class StartGate {
    private final AtomicIntegerArray owning;
    private final long deadlineMillis;
    private final Clock clock;
    private volatile boolean open;

    /**
     * @param loops   the loops that wait at this gate
     * @param maxWait how long they wait at most (another process may hold every partition, or there may be fewer
     *                partitions than loops)
     */
    public StartGate(int loops, Duration maxWait, Clock clock) {
        this.owning = new AtomicIntegerArray(loops);
        this.clock = clock;
        this.deadlineMillis = clock.millis() + maxWait.toMillis();
    }

    /** Loop {@code index} owns a partition now (or not). */
    void report(int index, boolean ownsPartitions) {
        owning.set(index, ownsPartitions ? 1 : 0);
    }

    /** True once every loop owned a partition at the same time, or the wait is over; it then stays open. */
    boolean isOpen() {
        if (open) {
            return true;
        }
        boolean all = true;
        for (int i = 0; i < owning.length() && all; i++) {
            all = owning.get(i) == 1;
        }
        if (all || clock.millis() >= deadlineMillis) {
            open = true;
        }
        return open;
    }
}
