package io.ast2graph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.embedded.testing.SharedServers;
import io.ast2graph.parser.FragmentBuilder;
import io.ast2graph.parser.MountedSources;
import io.ast2graph.parser.ParserHandler;
import io.ast2graph.parser.TimedParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fragment the broker refuses as too large, against a real broker: the file goes again as its File node alone and
 * the rest of the batch is written as it is. Before, the refusal was taken for an unavailable broker and the
 * partition was retried for ever (a scan of the Maven Central corpus stalled on one generated file).
 */
class OversizedFragmentIT {
    private static final String FRAGMENTS = "oversized.fragments";
    private static final String EVENTS = "oversized.events";

    /** A class whose fragment is hundreds of kilobytes, compressed too: many methods, each with many calls. */
    private static String generated() {
        StringBuilder source = new StringBuilder("package p;\nclass Big {\n");
        for (int m = 0; m < 300; m++) {
            source.append("  void m").append(m).append("(Other o").append(m).append(") {");
            for (int c = 0; c < 40; c++) {
                source.append(" o").append(m).append(".call").append(m * 40 + c).append("();");
            }
            source.append(" }\n");
        }
        return source.append("}\n").toString();
    }

    private static ConsumeLoop.Input<FileRef> inline(String path, String source, long offset) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        var ref = new FileRef("scan-1", "repo", path, "", bytes.length, 1, new FileRef.Inline(bytes));
        return new ConsumeLoop.Input<>(new ConsumerRecord<>("files", 0, offset, path, Json.write(ref)), ref);
    }

    @Test
    void aFragmentTheBrokerRefusesIsWrittenAsItsFileNodeAloneAndTheRestOfTheBatchAsItIs() throws Exception {
        var kafka = KafkaSettings.of(SharedServers.kafka().bootstrapServers());
        try (Admin admin = Admin.create(kafka.base())) {
            // The producer takes up to 16 MiB; this topic takes 20 kB, as a topic an operator configured lower would.
            admin.createTopics(List.of(
                new NewTopic(FRAGMENTS, 1, (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "20000")),
                new NewTopic(EVENTS, 1, (short) 1))).all().get();
        }
        String small = "package p;\nclass Small { void run() { run(); } }\n";
        List<ConsumeLoop.Rejected<FileRef>> rejected;
        try (var producer = KafkaClients.producer(kafka, "oversized-it")) {
            var handler = new ParserHandler(new TimedParser(new FragmentBuilder(), Duration.ofMinutes(1), 2),
                new MountedSources(Optional.empty(), 4 << 20), producer, FRAGMENTS, new ScanEvents(producer, EVENTS),
                "it/parser-0", Clock.systemUTC(), new SimpleMeterRegistry(), Duration.ofMinutes(1));
            rejected = handler.handle(List.of(inline("p/Big.java", generated(), 0), inline("p/Small.java", small, 1)));
        }

        assertThat(rejected).isEmpty();
        List<GraphFragment> written = new ArrayList<>();
        try (var reader = KafkaClients.reader(kafka, "oversized-it-reader")) {
            var partition = new TopicPartition(FRAGMENTS, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            while (reader.position(partition) < end) {
                reader.poll(Duration.ofMillis(500)).forEach(record -> written.add(FragmentRecords.decode(record)));
            }
        }
        assertThat(written).extracting(GraphFragment::path).containsExactlyInAnyOrder("p/Big.java", "p/Small.java");
        GraphFragment big = written.stream().filter(f -> f.path().equals("p/Big.java")).findFirst().orElseThrow();
        assertThat(big.nodes()).extracting(GraphNode::label).containsExactly("File");
        assertThat(((Number) big.nodes().getFirst().properties().get("parseErrors")).longValue()).isEqualTo(1);
        assertThat(big.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
            .isEqualTo("the fragments topic refused it as too large: only its File node was written"));
        GraphFragment smallFragment = written.stream().filter(f -> f.path().equals("p/Small.java")).findFirst()
            .orElseThrow();
        assertThat(smallFragment.problems()).isEmpty();
        assertThat(smallFragment.relationships()).as("the other file of the batch is written whole")
            .anyMatch(r -> r.type().equals("INVOKES"));
    }
}
