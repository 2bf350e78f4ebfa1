package io.ast2graph.writer;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.DownstreamUnavailableException;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.ScanEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The writer stage plugged into the consume loop: writes each batch of fragments to Neo4j in one transaction, then
 * reports the written files on the events topic. Returns only after both are durable, so the loop commits offsets
 * only for fragments that are in Neo4j.
 */
public final class WriterHandler implements ConsumeLoop.Handler<GraphFragment> {
    private final Neo4jGraphWriter writer;
    private final ScanEvents events;
    private final AdaptiveBatchSize batchSize;
    private final String worker;
    private final Clock clock;
    private final Counter nodeRows;
    private final Counter relationshipRows;
    private final Counter files;
    private final Timer commitLatency;

    public WriterHandler(Neo4jGraphWriter writer, ScanEvents events, AdaptiveBatchSize batchSize, String worker,
                         Clock clock, MeterRegistry metrics) {
        this.writer = writer;
        this.events = events;
        this.batchSize = batchSize;
        this.worker = worker;
        this.clock = clock;
        // The names and meaning of these meters are documented in docs/metrics.md; keep both in step.
        this.nodeRows = Counter.builder("ast2graph.nodes.written")
            .description("node rows merged into Neo4j (a node written again counts again)").register(metrics);
        this.relationshipRows = Counter.builder("ast2graph.relationships.written")
            .description("relationship rows merged into Neo4j").register(metrics);
        this.files = Counter.builder("ast2graph.files.written")
            .description("files whose fragment is committed in Neo4j").register(metrics);
        this.commitLatency = Timer.builder("ast2graph.writer.commit").description("Neo4j transaction time per batch")
            .publishPercentileHistogram().register(metrics);
    }

    @Override
    public List<ConsumeLoop.Rejected<GraphFragment>> handle(List<ConsumeLoop.Input<GraphFragment>> batch)
        throws DownstreamUnavailableException {
        List<GraphFragment> fragments = batch.stream().map(ConsumeLoop.Input::value).toList();
        long start = System.nanoTime();
        Neo4jGraphWriter.WriteResult result;
        try {
            result = writer.write(fragments);
        } catch (DownstreamUnavailableException e) {
            batchSize.failed();
            throw e;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        commitLatency.record(millis, TimeUnit.MILLISECONDS);
        Runtime rt = Runtime.getRuntime();
        double heapUsed = (double) (rt.totalMemory() - rt.freeMemory()) / rt.maxMemory();
        batchSize.committed(result.nodeRows() + result.relationshipRows(), millis, heapUsed);
        nodeRows.increment(result.nodeRows());
        relationshipRows.increment(result.relationshipRows());
        files.increment(fragments.size());

        long now = clock.millis();
        // Each file's busy share is an even part of the batch's transaction: the writer's busy time, per worker.
        long busyShare = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / Math.max(1, fragments.size());
        for (GraphFragment fragment : fragments) {
            events.send(ScanEvent.written(fragment, worker, now, busyShare));
        }
        events.awaitSent();
        return List.of();
    }

    @Override
    public long rows(GraphFragment value) {
        return 1L + value.nodes().size() + value.relationships().size();
    }

    @Override
    public int batchRows(int current) {
        return batchSize.current();
    }

    @Override
    public void deadLettered(ConsumerRecord<String, byte[]> record, Throwable error) {
        if (record.value() == null) {
            return;
        }
        try {
            GraphFragment fragment = Json.read(record.value(), GraphFragment.class);
            events.send(new ScanEvent(fragment.scanId(), fragment.repo(), ScanEvent.Stage.WRITER, ScanEvent.Status.FAILED,
                fragment.path(), 0, error.getClass().getSimpleName(), String.valueOf(error.getMessage()),
                clock.millis(), worker));
        } catch (RuntimeException undecodable) {
            // Without a decodable fragment there is no scan to report to; the dead-letter topic has the record.
        }
    }
}
