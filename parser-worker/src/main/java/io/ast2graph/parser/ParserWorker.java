package io.ast2graph.parser;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.Backoff;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.DeadLetters;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.kafka.WorkerGroup;
import io.ast2graph.common.model.FileRef;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A parser worker: {@code threads} consume loops on the files topic, each with its own JavaParser. */
public final class ParserWorker {
    private ParserWorker() {}

    public static WorkerGroup start(ParserConfig config, Clock clock, MeterRegistry metrics) {
        var producer = KafkaClients.producer(config.kafka(), config.workerId() + "-parser-out");
        var sources = new MountedSources(config.sourceRoot(), config.maxFileBytes());
        var builder = new FragmentBuilder();
        // Parsing is the work here, not waiting: a batch is a handful of files, handed over as soon as polled.
        var settings = new ConsumeLoop.Settings(config.batchFiles(), 64L * 1024 * 1024, Duration.ofMillis(20),
            Duration.ofMillis(200), new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)), Duration.ofSeconds(30));
        return WorkerGroup.start("parser", config.threads(), i -> {
            String name = "parser-" + i;
            var parser = new TimedParser(builder, config.parseTimeout(), /* maxRunaways= */ 2);
            var handler = new ParserHandler(parser, sources, producer, config.topics().fragments(),
                new ScanEvents(producer, config.topics().events()), config.workerId() + "/" + name, clock, metrics);
            var consumer = KafkaClients.consumer(config.kafka(), config.groupId(), config.workerId() + "-" + name,
                config.groupProtocol(), config.batchFiles());
            return new ConsumeLoop<FileRef>(name, consumer, List.of(config.topics().files()),
                record -> Json.read(record.value(), FileRef.class), handler,
                new DeadLetters(producer, config.topics().filesDlq(), config.workerId() + "/" + name, clock),
                settings, clock, metrics);
        }, List.of(producer));
    }
}
