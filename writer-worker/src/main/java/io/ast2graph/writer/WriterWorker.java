package io.ast2graph.writer;

import io.ast2graph.common.kafka.Backoff;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.DeadLetters;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.observe.HealthCheck;
import io.ast2graph.common.observe.KafkaClientMeters;
import io.ast2graph.common.observe.KafkaHealth;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer worker: {@code threads} consume loops on the fragments topic sharing one Neo4j driver and one producer
 * (for progress events and dead letters). Creates the schema before consuming.
 */
public final class WriterWorker {
    /** Fragments per poll (see the consumer's creation). */
    static final int MAX_POLL_FRAGMENTS = 50;

    private WriterWorker() {}

    public static WorkerGroup start(WriterConfig config, Clock clock, MeterRegistry metrics) {
        return start(config, clock, metrics, true);
    }

    /**
     * @param warmUp compile the query plans before consuming ({@link Neo4jGraphWriter#warmUp}); a writer that will only
     *               find unchanged files (after a bulk load) skips it: it reads their states and writes nothing
     */
    public static WorkerGroup start(WriterConfig config, Clock clock, MeterRegistry metrics, boolean warmUp) {
        var driver = Neo4jGraphWriter.connect(config.neo4j(), config.maxRetryTime());
        var writer = new Neo4jGraphWriter(driver, config.neo4j().database(), metrics, config.rewriteUnchanged());
        writer.createSchema();
        if (warmUp) {
            writer.warmUp();
        }
        var producer = KafkaClients.producer(config.kafka(), config.workerId() + "-writer-out");
        var admin = Admin.create(config.kafka().base());
        // Closed after the loops stopped; the metric binders then drop their meters.
        List<AutoCloseable> resources = new ArrayList<>(List.of(producer, writer, admin));
        resources.add(KafkaClientMeters.bind(producer, Tags.of("stage", "writer"), metrics));
        var settings = new ConsumeLoop.Settings(config.initialBatchRows(), config.maxBatchBytes(), config.linger(),
            Duration.ofMillis(200), new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)), Duration.ofSeconds(30));
        var group = WorkerGroup.start("writer", config.threads(), i -> {
            String name = "writer-" + i;
            var batchSize = new AdaptiveBatchSize(config.initialBatchRows(), 50, 20_000, 2_000);
            var handler = new WriterHandler(writer, new ScanEvents(producer, config.topics().events()), batchSize,
                config.workerId() + "/" + name, clock, metrics);
            // The loop writes every record a poll returns before it polls again, and a rebalance (another writer
            // joining) waits for that poll: 500 fragments are some 25 batches, which kept a second writer idle for
            // 50 s. A batch grows over several polls, which return at once from the fetched data.
            var consumer = KafkaClients.consumer(config.kafka(), config.groupId(), config.workerId() + "-" + name,
                config.groupProtocol(), MAX_POLL_FRAGMENTS);
            resources.add(KafkaClientMeters.bind(consumer, Tags.of("stage", "writer", "loop", name), metrics));
            return new ConsumeLoop<GraphFragment>(name, consumer, List.of(config.topics().fragments()),
                FragmentRecords::decode, handler,
                new DeadLetters(producer, config.topics().fragmentsDlq(), config.workerId() + "/" + name, clock),
                settings, clock, metrics);
        }, resources);
        group.addReadinessCheck(KafkaHealth.reachable(admin));
        group.addReadinessCheck(new HealthCheck("neo4j", writer::isReachable));
        return group;
    }
}
