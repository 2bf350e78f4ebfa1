package io.ast2graph.common.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one consume loop both workers run: poll → decode → batch → handle → commit, where {@link Handler#handle}
 * returns only once the batch's output is durable (acknowledged by Kafka, committed in Neo4j), so a committed offset
 * never points past work that could still be lost.
 *
 * <p>Failures are sorted, as Kafka's own example consumer does:
 * <ul>
 *   <li><b>poison</b>: a record that cannot be decoded, or that the handler fails on. A failing batch is split in
 *       halves until the failing records stand alone; each is sent to the dead-letter topic with an error envelope
 *       and the rest of the batch goes on;</li>
 *   <li><b>retriable</b>: the handler throws {@link DownstreamUnavailableException}. The loop pauses its partitions,
 *       keeps polling (so the group keeps it), and retries the same batch with bounded exponential backoff;</li>
 *   <li><b>fatal</b>: {@link FatalWorkerException}, or Kafka authentication/authorization/version errors. The loop
 *       stops and {@link #failure()} says why.</li>
 * </ul>
 *
 * <p>Exactly one thread (the one calling {@link #run}) touches the consumer. {@link #stop} may be called from any
 * thread: it sets a flag and wakes the consumer; the loop then handles what it has buffered, commits, and closes
 * within {@link Settings#closeTimeout}.
 */
public final class ConsumeLoop<V> implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConsumeLoop.class);

    /** What a worker plugs into the loop. */
    public interface Handler<V> {
        /**
         * Handles a batch of decoded records and returns once the output is durable.
         *
         * @return the records the handler rejected on their own (e.g. a file reference escaping the source root):
         *         the loop dead-letters them and commits the batch
         * @throws DownstreamUnavailableException when the output is unreachable; the same batch is retried later
         * @throws Exception                      anything else marks the batch as holding a poison record
         */
        List<Rejected<V>> handle(List<Input<V>> batch) throws Exception;

        /** The weight of a record for batching, in rows (e.g. the nodes and relationships of a fragment). */
        default long rows(V value) {
            return 1;
        }

        /** The row limit of the next batch; the writer adapts it to commit latency. */
        default int batchRows(int current) {
            return current;
        }

        /** Called before the loop commits a dead-lettered record, e.g. to report a failed file. */
        default void deadLettered(ConsumerRecord<String, byte[]> record, Throwable error) {}
    }

    /** A record the handler could not take, and why. */
    public record Rejected<V>(Input<V> input, Exception error) {}

    /** A record and its decoded value. */
    public record Input<V>(ConsumerRecord<String, byte[]> record, V value) {
        public TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        long bytes() {
            return (record.value() == null ? 0 : record.value().length) + 64L;
        }
    }

    /**
     * @param maxBatchRows  rows (as {@link Handler#rows} counts them) that make a batch full
     * @param maxBatchBytes bytes of record values that make a batch full
     * @param linger        how long a partial batch may wait for more records
     * @param pollTimeout   the longest single poll
     * @param backoff       the delays between retries of a batch whose output is unavailable
     * @param closeTimeout  how long stopping may take to flush, commit and close
     */
    public record Settings(int maxBatchRows, long maxBatchBytes, Duration linger, Duration pollTimeout,
                           Backoff backoff, Duration closeTimeout) {
        public static Settings defaults() {
            return new Settings(500, 8L * 1024 * 1024, Duration.ofMillis(100), Duration.ofMillis(200),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30)), Duration.ofSeconds(30));
        }

        public Settings withBatch(int rows, long bytes, Duration linger) {
            return new Settings(rows, bytes, linger, pollTimeout, backoff, closeTimeout);
        }
    }

    private final String name;
    private final Consumer<String, byte[]> consumer;
    private final Collection<String> topics;
    private final Function<ConsumerRecord<String, byte[]>, V> decoder;
    private final Handler<V> handler;
    private final DeadLetters deadLetters;
    private final Settings settings;
    private final Clock clock;
    private final Batcher<Input<V>> batcher;

    private final MeterRegistry metrics;
    private final String stage;
    private final Counter consumed;
    private final Counter retries;
    private final Timer handleTime;
    private final DistributionSummary batchRecords;
    private final DistributionSummary batchBytes;
    /** Records polled but not yet committed: buffered in the batcher or in the handler. Read by a gauge. */
    private volatile long inFlight;
    /** Records behind the end of the partitions this loop owns, as of its last poll. Read by a gauge. */
    private volatile long lag;

    private volatile boolean running = true;
    private volatile long lastPollMillis;
    private volatile Throwable failure;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Partitions this loop owns right now; used to drop buffered records of partitions a rebalance took away. */
    private final Set<TopicPartition> owned = new HashSet<>();
    /** Where this loop waits, before it handles records, for the other loops of its process; null: it does not. */
    private StartGate gate;
    private int gateIndex;
    /** Records that arrived while the loop waited to retry a batch; handled in order after that batch. */
    private final List<ConsumerRecord<String, byte[]>> deferred = new ArrayList<>();

    public ConsumeLoop(String name, Consumer<String, byte[]> consumer, Collection<String> topics,
                       Function<ConsumerRecord<String, byte[]>, V> decoder, Handler<V> handler,
                       DeadLetters deadLetters, Settings settings, Clock clock, MeterRegistry metrics) {
        this.name = Objects.requireNonNull(name);
        this.consumer = Objects.requireNonNull(consumer);
        this.topics = List.copyOf(topics);
        this.decoder = Objects.requireNonNull(decoder);
        this.handler = Objects.requireNonNull(handler);
        this.deadLetters = Objects.requireNonNull(deadLetters);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.batcher = new Batcher<>(clock, settings.maxBatchRows(), settings.maxBatchBytes(), settings.linger().toMillis());
        this.lastPollMillis = clock.millis();
        // The names and meaning of these meters are documented in docs/metrics.md; keep both in step.
        this.metrics = metrics;
        this.stage = name.replaceAll("-\\d+$", "");
        this.consumed = Counter.builder("ast2graph.records.consumed").tag("stage", stage)
            .description("records polled from the stage's input topic").register(metrics);
        this.retries = Counter.builder("ast2graph.batch.retries").tag("stage", stage)
            .description("batch retries because the output was unavailable").register(metrics);
        this.handleTime = Timer.builder("ast2graph.batch.handle").tag("stage", stage)
            .description("time to handle one batch until its output is durable").register(metrics);
        this.batchRecords = DistributionSummary.builder("ast2graph.batch.records").tag("stage", stage)
            .description("records per handled batch").register(metrics);
        this.batchBytes = DistributionSummary.builder("ast2graph.batch.bytes").tag("stage", stage).baseUnit("bytes")
            .description("bytes of record values per handled batch").register(metrics);
        Gauge.builder("ast2graph.consumer.lag", this, loop -> loop.lag).tags("stage", stage, "loop", name)
            .description("records behind the end of the partitions this loop owns").register(metrics);
        Gauge.builder("ast2graph.inflight.records", this, loop -> loop.inFlight).tags("stage", stage, "loop", name)
            .description("records polled and not yet committed").register(metrics);
    }

    @Override
    public void run() {
        Thread.currentThread().setName(name);
        try {
            consumer.subscribe(topics, new Rebalance());
            awaitGate();
            while (running) {
                pollOnce(pollTimeout());
                flushDue();
            }
            // Stopping: hand what is buffered to the handler once, so a graceful stop leaves little to redo.
            if (!batcher.isEmpty()) {
                process(batcher.drain(), /* retryWhileRunning= */ false);
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
                log.error("{}: unexpected wakeup", name, e);
            }
        } catch (FatalWorkerException | AuthenticationException | AuthorizationException | UnsupportedVersionException e) {
            failure = e;
            log.error("{}: stopping on an error no retry can fix: {}", name, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            log.error("{}: stopping on an unexpected error", name, e);
        } finally {
            try {
                consumer.close(settings.closeTimeout());
            } catch (RuntimeException e) {
                log.warn("{}: closing the consumer failed: {}", name, e.getMessage());
            }
            finished.countDown();
        }
    }

    /** Asks the loop to stop; safe from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Waits for the loop to end; true if it ended within the timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isRunning() {
        return finished.getCount() > 0;
    }

    /** The error that stopped the loop, or null if it runs or stopped as asked. */
    public Throwable failure() {
        return failure;
    }

    /** When the loop last polled; the liveness probe says the worker is stuck when this gets old. */
    public long lastPollMillis() {
        return lastPollMillis;
    }

    public String name() {
        return name;
    }

    private Duration pollTimeout() {
        long untilLinger = batcher.millisUntilLingered();
        return Duration.ofMillis(Math.max(1, Math.min(untilLinger, settings.pollTimeout().toMillis())));
    }

    private void pollOnce(Duration timeout) throws InterruptedException {
        Iterable<ConsumerRecord<String, byte[]>> records;
        if (!deferred.isEmpty()) {
            records = List.copyOf(deferred);
            deferred.clear();
        } else {
            try {
                records = consumer.poll(timeout);
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
                return;
            }
            lastPollMillis = clock.millis();
            lag = currentLag();
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            consumed.increment();
            Input<V> input = decode(record);
            var full = batcher.add(input, rowsOf(input), input.bytes());
            inFlight = batcher.size() + (full.isPresent() ? full.get().size() : 0);
            if (full.isPresent()) {
                process(full.get(), true);
                batcher.setMaxRows(handler.batchRows(batcher.maxRows()));
            }
        }
    }

    /** The sum of the owned partitions' lag the consumer knows from its fetches; unknown partitions count 0. */
    private long currentLag() {
        long sum = 0;
        for (TopicPartition partition : owned) {
            try {
                sum += consumer.currentLag(partition).orElse(0);
            } catch (IllegalStateException e) {
                // Revoked between the rebalance callback and now: not ours to count.
            }
        }
        return sum;
    }

    private long rowsOf(Input<V> input) {
        return input.value() instanceof Undecodable ? 1 : Math.max(1, handler.rows(input.value()));
    }

    @SuppressWarnings("unchecked")
    private Input<V> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return new Input<>(record, decoder.apply(record));
        } catch (RuntimeException e) {
            return new Input<>(record, (V) new Undecodable(e));
        }
    }

    private void flushDue() throws InterruptedException {
        var due = batcher.drainIfLingered();
        if (due.isPresent()) {
            process(due.get(), true);
            batcher.setMaxRows(handler.batchRows(batcher.maxRows()));
        }
    }

    /** Handles a batch until its output is durable, then commits its offsets. */
    private void process(List<Input<V>> batch, boolean retryWhileRunning) throws InterruptedException {
        List<Input<V>> pending = new ArrayList<>(batch);
        int attempt = 0;
        while (!pending.isEmpty()) {
            try {
                handleIsolatingPoison(pending);
                commit(pending);
                batchRecords.record(pending.size());
                batchBytes.record(pending.stream().mapToLong(input -> input.record().value() == null ? 0 : input.record().value().length).sum());
                inFlight = batcher.size();
                if (attempt > 0) {
                    log.info("{}: downstream is back, batch of {} handled after {} retries", name, pending.size(), attempt);
                    consumer.resume(consumer.paused());
                }
                return;
            } catch (DownstreamUnavailableException e) {
                if (!retryWhileRunning || !running) {
                    log.warn("{}: stopping with {} records unhandled ({}); they are not committed and will be redelivered",
                        name, pending.size(), e.getMessage());
                    return;
                }
                retries.increment();
                Duration delay = settings.backoff().delay(attempt);
                log.warn("{}: downstream unavailable ({}); pausing partitions, retry {} in {} ms",
                    name, e.getMessage(), attempt + 1, delay.toMillis());
                waitPolling(delay);
                // A rebalance during the wait may have taken partitions away: their records are the new owner's.
                pending.removeIf(input -> !owned.contains(input.partition()));
                attempt++;
            }
        }
    }

    /**
     * Makes the loop wait at {@code gate} (as its loop number {@code index}) before it handles any record; call before
     * the loop's thread starts.
     */
    public void waitAt(StartGate gate, int index) {
        this.gate = gate;
        this.gateIndex = index;
    }

    /** Polls with every partition paused until the gate opens: the group settles before any batch is handled. */
    private void awaitGate() {
        if (gate == null) {
            return;
        }
        long start = clock.millis();
        while (running) {
            gate.report(gateIndex, !owned.isEmpty());
            if (gate.isOpen()) {
                break;
            }
            pollPaused(100);
        }
        consumer.resume(consumer.paused());
        log.info("{}: starts after {} ms at the start gate, owning {}", name, clock.millis() - start, owned);
    }

    /** Waits while polling paused partitions, so the consumer stays in its group. */
    private void waitPolling(Duration delay) {
        long deadline = clock.millis() + delay.toMillis();
        while (running) {
            long left = deadline - clock.millis();
            if (left <= 0) {
                consumer.pause(consumer.assignment());
                return;
            }
            pollPaused(Math.min(left, 100));
        }
    }

    /**
     * One poll with every partition paused, so the consumer stays in its group and takes part in rebalances. Partitions
     * assigned in that poll are paused only from the next one on: what they gave is kept, handled first later (or
     * dropped if they are revoked).
     */
    private void pollPaused(long millis) {
        consumer.pause(consumer.assignment());
        try {
            ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ofMillis(millis));
            lastPollMillis = clock.millis();
            stray.forEach(deferred::add);
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        }
    }

    /**
     * Hands the batch to the handler; when it fails with anything but unavailability, splits it in halves until the
     * failing records stand alone and dead-letters those. Undecodable records are dead-lettered first.
     */
    private void handleIsolatingPoison(List<Input<V>> batch) throws DownstreamUnavailableException, InterruptedException {
        List<Input<V>> decodable = new ArrayList<>(batch.size());
        for (Input<V> input : batch) {
            if (input.value() instanceof Undecodable undecodable) {
                deadLetter(input, undecodable.cause());
            } else {
                decodable.add(input);
            }
        }
        if (!decodable.isEmpty()) {
            handleOrSplit(decodable);
        }
    }

    private void handleOrSplit(List<Input<V>> batch) throws DownstreamUnavailableException, InterruptedException {
        try {
            long start = System.nanoTime();
            List<Rejected<V>> rejected = handler.handle(batch);
            handleTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            for (Rejected<V> rejection : rejected) {
                deadLetter(rejection.input(), rejection.error());
            }
        } catch (DownstreamUnavailableException | FatalWorkerException | InterruptedException
                 | AuthenticationException | AuthorizationException | UnsupportedVersionException e) {
            // Not the records' fault: retry later, or stop the worker.
            throw e;
        } catch (Exception e) {
            if (batch.size() == 1) {
                deadLetter(batch.getFirst(), e);
                return;
            }
            log.warn("{}: batch of {} failed ({}: {}); splitting it to isolate the bad record",
                name, batch.size(), e.getClass().getSimpleName(), e.getMessage());
            int half = batch.size() / 2;
            handleOrSplit(batch.subList(0, half));
            handleOrSplit(batch.subList(half, batch.size()));
        }
    }

    private void deadLetter(Input<V> input, Throwable error) throws DownstreamUnavailableException {
        var record = input.record();
        log.warn("{}: dead-lettering {}-{}@{} (key {}): {}: {}", name, record.topic(), record.partition(),
            record.offset(), record.key(), error.getClass().getSimpleName(), error.getMessage());
        deadLetters.send(record, error);
        Counter.builder("ast2graph.records.dead_lettered").tags("stage", stage, "error", error.getClass().getSimpleName())
            .description("records sent to the stage's dead-letter topic, by error type").register(metrics).increment();
        handler.deadLettered(record, error);
    }

    private void commit(List<Input<V>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Input<V> input : batch) {
            offsets.merge(input.partition(), new OffsetAndMetadata(input.record().offset() + 1),
                (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        offsets.keySet().retainAll(owned);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            // stop() raced with the commit: commit once more, the flag is already down so no further wakeup comes.
            consumer.commitSync(offsets);
        } catch (KafkaException e) {
            if (e instanceof AuthorizationException || e instanceof AuthenticationException) {
                throw e;
            }
            // e.g. CommitFailedException after a rebalance: the new owner redoes the batch; writes are idempotent.
            log.warn("{}: commit of {} failed ({}); the records will be redelivered", name, offsets, e.getMessage());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
            log.info("{}: assigned {}", name, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Every handled batch is committed at once, so nothing durable is left uncommitted here; what is only
            // buffered was never handled and is redelivered to the new owner from the committed offset.
            forget(partitions);
            log.info("{}: revoked {}", name, partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            log.warn("{}: lost {}", name, partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            Set<TopicPartition> gone = new HashSet<>(partitions);
            batcher.removeIf(input -> gone.contains(input.partition()), ConsumeLoop.this::rowsOf, Input::bytes);
            deferred.removeIf(record -> gone.contains(new TopicPartition(record.topic(), record.partition())));
        }
    }

    /** Marks a record whose value could not be decoded; it is dead-lettered with the batch it came in. */
    private record Undecodable(RuntimeException cause) {}
}
