package io.ast2graph.cli;

import io.ast2graph.parser.ParserConfig;
import io.ast2graph.writer.WriterConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code ast2graph replay --group parser|writer --to-earliest|--to-timestamp T|--to-offsets FILE}: moves a stage's
 * committed offsets back so that its workers process the topic again. Every write is idempotent, so a replay repairs
 * the graph and changes nothing that was right. Offsets can only be reset while the group has no live member: the
 * command waits for that, and names the members still up if they do not leave.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Reset a stage's consumer group offsets so its workers process the topic again.")
final class ReplayCommand implements Callable<Integer> {
    enum Stage { parser, writer }

    @Option(names = "--group", required = true, description = "The stage to replay: parser (files topic) or writer (fragments topic).")
    Stage stage;

    @Option(names = "--group-id", description = "The consumer group id, if not the stage's default (ast2graph-parser / ast2graph-writer).")
    String groupId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to-earliest", description = "Back to the first record still in the topic.")
        boolean earliest;

        @Option(names = "--to-timestamp", paramLabel = "T", description = "Back to the first record at or after T (ISO-8601, e.g. 2026-11-22T06:00:00Z, or epoch millis).")
        String timestamp;

        @Option(names = "--to-offsets", paramLabel = "FILE", description = "Exact offsets, one 'partition=offset' per line (e.g. 3=1200).")
        Path offsetsFile;
    }

    @Option(names = "--wait", defaultValue = "60", description = "Seconds to wait for the group's members to leave (default: ${DEFAULT-VALUE}).")
    long waitSeconds;

    @Option(names = "--dry-run", description = "Show what would change, change nothing.")
    boolean dryRun;

    @Mixin KafkaOptions kafka;

    private final PrintStream out;

    ReplayCommand() {
        this(System.out);
    }

    ReplayCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        WorkerCommands.requireKafka(kafka);
        String group = groupId != null ? groupId
            : stage == Stage.parser ? ParserConfig.DEFAULT_GROUP : WriterConfig.DEFAULT_GROUP;
        String topic = stage == Stage.parser ? kafka.topics().files() : kafka.topics().fragments();
        try (Admin admin = Admin.create(kafka.settings().base())) {
            if (!awaitNoMembers(admin, group)) {
                return 1;
            }
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> targets = targets(admin, partitions);
            Map<TopicPartition, OffsetAndMetadata> current = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);

            out.printf("%s group %s on %s%n", dryRun ? "would reset" : "resetting", group, topic);
            out.printf("  %-9s %12s %12s%n", "partition", "committed", "new");
            long replayed = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata before = current.get(p);
                long now = targets.get(p);
                out.printf("  %-9d %12s %12d%n", p.partition(), before == null ? "-" : String.valueOf(before.offset()), now);
                replayed += Math.max(0, (before == null ? now : before.offset()) - now);
            }
            if (dryRun) {
                out.printf("dry run: %d records would be processed again%n", replayed);
                return 0;
            }
            admin.alterConsumerGroupOffsets(group, targets.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue()))))
                .all().get(30, TimeUnit.SECONDS);
            out.printf("done: %d records will be processed again when the %s workers start%n", replayed, stage);
            return 0;
        }
    }

    /** Waits until the group has no members; false (and who is still up) if they stay. */
    private boolean awaitNoMembers(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        boolean told = false;
        while (true) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                .describedGroups().get(group).get(30, TimeUnit.SECONDS);
            var members = description.members();
            if (members.isEmpty() || description.groupState() == GroupState.DEAD || description.groupState() == GroupState.EMPTY) {
                return true;
            }
            if (!told) {
                out.printf("group %s (%s protocol) still has %d live member(s); stop its workers. Waiting up to %d s:%n",
                    group, description.type(), members.size(), waitSeconds);
                for (MemberDescription m : members) {
                    out.printf("  %s on %s (%d partitions)%n", m.clientId(), m.host(), m.assignment().topicPartitions().size());
                }
                told = true;
            }
            if (System.nanoTime() > deadline) {
                out.printf("group %s still has live members after %d s; nothing changed%n", group, waitSeconds);
                return false;
            }
            Thread.sleep(1000);
        }
    }

    private Map<TopicPartition, Long> targets(Admin admin, List<TopicPartition> partitions) throws Exception {
        if (target.offsetsFile != null) {
            Map<Integer, Long> wanted = readOffsets(target.offsetsFile);
            Map<TopicPartition, Long> result = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            for (TopicPartition p : partitions) {
                Long offset = wanted.get(p.partition());
                if (offset == null) {
                    throw new IllegalArgumentException("--to-offsets " + target.offsetsFile + " names no offset for partition " + p.partition());
                }
                if (offset < earliest.get(p) || offset > latest.get(p)) {
                    throw new IllegalArgumentException("--to-offsets: partition " + p.partition() + " offset " + offset
                        + " is outside the topic's range " + earliest.get(p) + ".." + latest.get(p));
                }
                result.put(p, offset);
            }
            return result;
        }
        if (target.timestamp != null) {
            long millis = parseTimestamp(target.timestamp);
            Map<TopicPartition, Long> atTime = offsets(admin, partitions, OffsetSpec.forTimestamp(millis));
            Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> result = new HashMap<>();
            // No record at or after T in a partition: nothing to replay there, so its end.
            partitions.forEach(p -> result.put(p, atTime.get(p) < 0 ? latest.get(p) : atTime.get(p)));
            return result;
        }
        return offsets(admin, partitions, OffsetSpec.earliest());
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
        throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(p -> p, p -> spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos =
            admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> result = new HashMap<>();
        infos.forEach((p, info) -> result.put(p, info.offset()));
        return result;
    }

    static long parseTimestamp(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notMillis) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--to-timestamp must be ISO-8601 (2026-11-22T06:00:00Z) or epoch millis, was '" + text + "'");
            }
        }
    }

    static Map<Integer, Long> readOffsets(Path file) throws IOException {
        Map<Integer, Long> offsets = new HashMap<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file)) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] parts = trimmed.split("=");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                offsets.put(Integer.parseInt(parts[0].strip()), Long.parseLong(parts[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + lineNumber + ": expected 'partition=offset', was '" + line + "'");
            }
        }
        return offsets;
    }
}
