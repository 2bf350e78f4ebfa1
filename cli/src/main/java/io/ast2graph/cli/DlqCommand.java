package io.ast2graph.cli;

import io.ast2graph.common.kafka.ErrorEnvelope;
import io.ast2graph.common.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code ast2graph dlq list|show|retry}: the records a stage could not handle, with the error envelope each carries,
 * and a way to send chosen ones back to where they came from once the cause is fixed.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Inspect and retry the dead-letter topics.",
    subcommands = {DlqCommand.ListRecords.class, DlqCommand.Show.class, DlqCommand.Retry.class})
final class DlqCommand {
    enum Stage { parser, writer }

    /** The options every dlq subcommand shares. */
    static final class Where {
        @Option(names = "--stage", defaultValue = "writer", description = "parser (files.dlq) or writer (fragments.dlq); default: ${DEFAULT-VALUE}.")
        Stage stage;

        @Mixin KafkaOptions kafka;

        String topic() {
            return stage == Stage.parser ? kafka.topics().filesDlq() : kafka.topics().fragmentsDlq();
        }
    }

    /** Reads a whole dead-letter topic (they are small: each record is a failure someone should look at). */
    static List<ConsumerRecord<String, byte[]>> read(Where where) {
        WorkerCommands.requireKafka(where.kafka);
        String topic = where.topic();
        try (var reader = KafkaClients.reader(where.kafka.settings(), "ast2graph-dlq")) {
            var infos = reader.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("dead-letter topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String oneLine(String text, int max) {
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per dead-lettered record.")
    static final class ListRecords implements Callable<Integer> {
        @Mixin Where where;
        private final PrintStream out;

        ListRecords() {
            this(System.out);
        }

        ListRecords(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            List<ConsumerRecord<String, byte[]>> records = read(where);
            out.printf("%-8s %-25s %-40s %-30s %s%n", "offset", "time", "key", "error", "message");
            for (var record : records) {
                ErrorEnvelope e = ErrorEnvelope.readFrom(record.headers());
                out.printf("%-8d %-25s %-40s %-30s %s%n", record.offset(), e.time(), oneLine(String.valueOf(record.key()), 40),
                    oneLine(e.errorType().substring(e.errorType().lastIndexOf('.') + 1), 30), oneLine(e.message(), 100));
            }
            out.printf("(%d record%s in %s)%n", records.size(), records.size() == 1 ? "" : "s", where.topic());
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A record's whole error envelope.")
    static final class Show implements Callable<Integer> {
        @Mixin Where where;

        @Parameters(paramLabel = "OFFSET", description = "The record's offset in the dead-letter topic (see dlq list).")
        long offset;

        private final PrintStream out;

        Show() {
            this(System.out);
        }

        Show(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            var record = read(where).stream().filter(r -> r.offset() == offset).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no record at offset " + offset + " in " + where.topic()));
            ErrorEnvelope e = ErrorEnvelope.readFrom(record.headers());
            out.println("key:        " + record.key());
            out.println("error:      " + e.errorType());
            out.println("message:    " + e.message());
            out.println("origin:     " + e.originTopic() + "-" + e.originPartition() + "@" + e.originOffset());
            out.println("worker:     " + e.worker());
            out.println("time:       " + e.time());
            out.println("value:      " + (record.value() == null ? "(tombstone)" : record.value().length + " bytes"));
            out.println("stack trace:");
            out.println(e.stackTrace());
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Send dead-lettered records back to the topic they came from, unchanged, for reprocessing.")
    static final class Retry implements Callable<Integer> {
        @Mixin Where where;

        @Option(names = "--offset", split = ",", description = "Offsets of the records to retry (see dlq list).")
        Set<Long> offsets = Set.of();

        @Option(names = "--error-type", description = "Retry every record whose error type ends with this (e.g. ServiceUnavailableException).")
        String errorType;

        @Option(names = "--all", description = "Retry every record of the dead-letter topic.")
        boolean all;

        private final PrintStream out;

        Retry() {
            this(System.out);
        }

        Retry(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            if (!all && offsets.isEmpty() && errorType == null) {
                throw new IllegalArgumentException("name what to retry: --offset N[,N...], --error-type TYPE or --all");
            }
            List<ConsumerRecord<String, byte[]>> chosen = read(where).stream()
                .filter(r -> all || offsets.contains(r.offset())
                    || (errorType != null && ErrorEnvelope.readFrom(r.headers()).errorType().endsWith(errorType)))
                .toList();
            try (var producer = KafkaClients.producer(where.kafka.settings(), "ast2graph-dlq-retry")) {
                for (var record : chosen) {
                    ErrorEnvelope e = ErrorEnvelope.readFrom(record.headers());
                    var headers = new RecordHeaders();
                    record.headers().forEach(h -> {
                        if (!h.key().startsWith(ErrorEnvelope.PREFIX)) {
                            headers.add(h);
                        }
                    });
                    producer.send(new ProducerRecord<>(e.originTopic(), null, record.key(), record.value(), headers))
                        .get(60, TimeUnit.SECONDS);
                    out.printf("retried offset %d (%s) → %s%n", record.offset(), record.key(), e.originTopic());
                }
            }
            out.printf("%d record%s sent back for reprocessing%n", chosen.size(), chosen.size() == 1 ? "" : "s");
            return 0;
        }
    }
}
