package io.ast2graph.writer;

import io.ast2graph.common.kafka.Backoff;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.DeadLetters;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.model.GraphFragment;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A writer worker: {@code threads} consume loops on the fragments topic sharing one Neo4j driver and one producer
 * (for progress events and dead letters). Creates the schema before consuming.
 */
public final class WriterWorker {
    private WriterWorker() {}

    public static WorkerGroup start(WriterConfig config, Clock clock, MeterRegistry metrics) {
        var driver = Neo4jGraphWriter.connect(config.neo4j(), config.maxRetryTime());
        var writer = new Neo4jGraphWriter(driver, config.neo4j().database());
        writer.createSchema();
        var producer = KafkaClients.producer(config.kafka(), config.workerId() + "-writer-out");
        metrics.gauge("ast2graph.writer.threads", Tags.empty(), config.threads());
        var settings = new ConsumeLoop.Settings(config.initialBatchRows(), config.maxBatchBytes(), config.linger(),
            Duration.ofMillis(200), new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)), Duration.ofSeconds(30));
        return WorkerGroup.start("writer", config.threads(), i -> {
            String name = "writer-" + i;
            var batchSize = new AdaptiveBatchSize(config.initialBatchRows(), 50, 20_000, 2_000);
            var handler = new WriterHandler(writer, new ScanEvents(producer, config.topics().events()), batchSize,
                config.workerId() + "/" + name, clock, metrics);
            var consumer = KafkaClients.consumer(config.kafka(), config.groupId(), config.workerId() + "-" + name,
                config.groupProtocol(), 500);
            return new ConsumeLoop<GraphFragment>(name, consumer, List.of(config.topics().fragments()),
                FragmentRecords::decode, handler,
                new DeadLetters(producer, config.topics().fragmentsDlq(), config.workerId() + "/" + name, clock),
                settings, clock, metrics);
        }, List.of(producer, writer));
    }
}
