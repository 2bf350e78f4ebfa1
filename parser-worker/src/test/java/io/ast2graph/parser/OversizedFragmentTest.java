package io.ast2graph.parser;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.ScanEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fragment larger than the fragments topic takes is made to fit rather than retried for ever (the Maven Central
 * corpus has generated files whose fragments pass 16 MiB). The limit is the handler's own check, made before the
 * send, so a test producer is enough here; {@code OversizedFragmentIT} has the broker refuse one.
 */
class OversizedFragmentTest {
    private final MockProducer<String, byte[]> producer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    /** A class with {@code methods} methods, each calling {@code calls} methods of another file's type. */
    private static String generated(int methods, int calls) {
        StringBuilder source = new StringBuilder("package p;\nclass Big {\n");
        for (int m = 0; m < methods; m++) {
            source.append("  void m").append(m).append("(Other o) {");
            for (int c = 0; c < calls; c++) {
                source.append(" o.call").append(c).append("();");
            }
            source.append(" }\n");
        }
        return source.append("}\n").toString();
    }

    private static GraphFragment built(String path, String source) {
        return new FragmentBuilder().build("scan-1", "repo", path, "sha", 1, source.getBytes(StandardCharsets.UTF_8));
    }

    private static int bytes(GraphFragment fragment) {
        return FragmentRecords.toRecord("fragments", fragment).value().length;
    }

    private List<ConsumeLoop.Rejected<FileRef>> handle(int maxFragmentBytes, String... pathsAndSources)
        throws Exception {
        var handler = new ParserHandler(new TimedParser(new FragmentBuilder(), Duration.ofMinutes(1), 2),
            new MountedSources(Optional.empty(), 1 << 20), producer, "fragments", new ScanEvents(producer, "events"),
            "w/parser-0", Clock.systemUTC(), new SimpleMeterRegistry(), Duration.ofMinutes(1), maxFragmentBytes);
        List<ConsumeLoop.Input<FileRef>> batch = new java.util.ArrayList<>();
        for (int i = 0; i < pathsAndSources.length; i += 2) {
            byte[] bytes = pathsAndSources[i + 1].getBytes(StandardCharsets.UTF_8);
            var ref = new FileRef("scan-1", "repo", pathsAndSources[i], "", bytes.length, 1, new FileRef.Inline(bytes));
            batch.add(new ConsumeLoop.Input<>(new ConsumerRecord<>("files", 0, i, ref.path(), Json.write(ref)), ref));
        }
        return handler.handle(batch);
    }

    private List<GraphFragment> sent() {
        return producer.history().stream().filter(r -> r.topic().equals("fragments"))
            .map(r -> Json.read(r.value(), GraphFragment.class)).toList();
    }

    private static long parseErrors(GraphFragment fragment) {
        GraphNode file = fragment.nodes().stream().filter(n -> n.label().equals("File")).findFirst().orElseThrow();
        return ((Number) file.properties().get("parseErrors")).longValue();
    }

    @Test
    void aFragmentTooLargeGoesWithoutItsCallsWhenThatFitsAndTheRestOfTheBatchIsUntouched() throws Exception {
        String big = generated(40, 40);
        GraphFragment full = built("p/Big.java", big);
        GraphFragment small = built("p/Small.java", "package p;\nclass Small { void run() { run(); } }\n");
        // and the super() call of Big's default constructor, to Object's
        assertThat(full.calls()).hasSize(40 * 40 + 1);
        int limit = bytes(full) / 2;

        assertThat(handle(limit, "p/Big.java", big, "p/Small.java", "package p;\nclass Small { void run() { run(); } }\n"))
            .isEmpty();

        assertThat(sent()).hasSize(2);
        GraphFragment reduced = sent().getFirst();
        assertThat(bytes(reduced)).isLessThanOrEqualTo(limit);
        assertThat(reduced.calls()).isEmpty();
        assertThat(reduced.relationships()).noneMatch(r -> r.type().equals("INVOKES"));
        assertThat(reduced.nodes()).as("every declaration is kept").hasSameSizeAs(full.nodes());
        assertThat(reduced.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
            .matches("the fragment is [0-9,]+ bytes, more than the %,d the fragments topic takes: its method calls were left out"
                .formatted(limit)));
        assertThat(parseErrors(reduced)).isEqualTo(1);
        assertThat(sent().get(1).relationships()).as("the other file keeps its calls")
            .isEqualTo(small.relationships());
        assertThat(producer.history().stream().filter(r -> r.topic().equals("events"))
            .map(r -> Json.read(r.value(), ScanEvent.class).status()))
            .containsExactly(ScanEvent.Status.DONE_WITH_ERRORS, ScanEvent.Status.DONE);
    }

    @Test
    void aFragmentTooLargeEvenWithoutItsCallsIsWrittenAsItsFileNodeAlone() throws Exception {
        String big = generated(200, 1);
        GraphFragment full = built("p/Big.java", big);

        assertThat(handle(bytes(full) / 10, "p/Big.java", big)).isEmpty();

        GraphFragment reduced = sent().getFirst();
        assertThat(reduced.nodes()).extracting(GraphNode::label).containsExactly("File");
        assertThat(reduced.relationships()).isEmpty();
        assertThat(reduced.references()).isEmpty();
        assertThat(reduced.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
            .contains("only its File node was written"));
        assertThat(parseErrors(reduced)).isEqualTo(1);
    }
}
