package io.ast2graph.common.kafka;

import io.ast2graph.common.observe.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A worker's consume loops, one thread each: the threads of one stage in one process. Each loop owns its consumer;
 * the group only starts them, watches them and stops them.
 */
public final class WorkerGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerGroup.class);

    /** How long the loops of a group wait at most for each other to own a partition before they start. */
    static final Duration START_GATE_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final List<ConsumeLoop<?>> loops;
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> resources;
    private final List<HealthCheck> readiness = new CopyOnWriteArrayList<>();

    private WorkerGroup(String name, List<ConsumeLoop<?>> loops, List<AutoCloseable> resources) {
        this.name = name;
        this.loops = List.copyOf(loops);
        this.resources = List.copyOf(resources);
    }

    /**
     * Starts {@code threads} loops made by {@code loopFactory}; {@code resources} are closed after the loops stop
     * (e.g. the shared producer).
     */
    public static WorkerGroup start(String name, int threads, IntFunction<ConsumeLoop<?>> loopFactory,
                                    List<AutoCloseable> resources) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, was " + threads);
        }
        List<ConsumeLoop<?>> loops = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            loops.add(loopFactory.apply(i));
        }
        if (threads > 1) {
            StartGate gate = new StartGate(threads, START_GATE_WAIT, Clock.systemUTC());
            for (int i = 0; i < threads; i++) {
                loops.get(i).waitAt(gate, i);
            }
        }
        WorkerGroup group = new WorkerGroup(name, loops, resources);
        for (ConsumeLoop<?> loop : loops) {
            Thread thread = Thread.ofPlatform().name(loop.name()).daemon(false).unstarted(loop);
            group.threads.add(thread);
            thread.start();
        }
        log.info("{}: started {} consume loop(s)", name, threads);
        return group;
    }

    /** True while every loop runs. */
    public boolean isAlive() {
        return loops.stream().allMatch(ConsumeLoop::isRunning);
    }

    /** True if every loop polled within {@code maxSilence}: the liveness probe's question. */
    public boolean isPolling(Duration maxSilence, Clock clock) {
        long now = clock.millis();
        return loops.stream().allMatch(l -> l.isRunning() && now - l.lastPollMillis() <= maxSilence.toMillis());
    }

    /**
     * The liveness probe's check: up while every loop polled within {@code maxSilence}. A loop that stopped, or hangs
     * in a handler (a parse that never ends, a write that never returns), makes it fail.
     */
    public HealthCheck liveness(Duration maxSilence, Clock clock) {
        return new HealthCheck(name + " polling", () -> isPolling(maxSilence, clock));
    }

    /** Adds a question the readiness probe asks about this group's downstream, e.g. "neo4j". */
    public void addReadinessCheck(HealthCheck check) {
        readiness.add(check);
    }

    /** The readiness checks of this group (Kafka, and what the stage writes to). */
    public List<HealthCheck> readiness() {
        return List.copyOf(readiness);
    }

    /** The first loop failure, if a loop stopped on an error. */
    public Throwable failure() {
        return loops.stream().map(ConsumeLoop::failure).filter(f -> f != null).findFirst().orElse(null);
    }

    public List<ConsumeLoop<?>> loops() {
        return loops;
    }

    /** Stops every loop, waits up to {@code timeout} for them to flush, commit and close, then closes resources. */
    public void stop(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        loops.forEach(ConsumeLoop::stop);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ConsumeLoop<?> loop : loops) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!loop.awaitTermination(Duration.ofNanos(left))) {
                log.warn("{}: {} did not stop within {}", name, loop.name(), timeout);
            }
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("{}: closing {} failed: {}", name, resource, e.getMessage());
            }
        }
        log.info("{}: stopped in {} ms", name,
            (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }
}
