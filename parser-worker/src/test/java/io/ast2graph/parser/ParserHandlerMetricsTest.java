package io.ast2graph.parser;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.FileRef;
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

/** What a parser reports per file (metrics and the work figures of its scan events), with Kafka faked. */
class ParserHandlerMetricsTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final MockProducer<String, byte[]> producer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    private ParserHandler handler(Duration slowFile) {
        return new ParserHandler(new TimedParser(new FragmentBuilder(), Duration.ofMinutes(1), /* maxRunaways= */ 2),
            new MountedSources(Optional.empty(), 1 << 20), producer,
            "fragments", new ScanEvents(producer, "events"), "w/parser-0", Clock.systemUTC(), metrics, slowFile);
    }

    private static ConsumeLoop.Input<FileRef> inline(String path, String source) {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        var ref = new FileRef("scan-1", "repo", path, "", bytes.length, 1, new FileRef.Inline(bytes));
        return new ConsumeLoop.Input<>(new ConsumerRecord<>("files", 0, 0, path, Json.write(ref)), ref);
    }

    private List<ScanEvent> events() {
        return producer.history().stream().filter(r -> r.topic().equals("events"))
            .map(r -> Json.read(r.value(), ScanEvent.class)).toList();
    }

    @Test
    void reportsLinesRowsAndTimesPerFileAndCountsOutcomes() throws Exception {
        handler(Duration.ofMinutes(1)).handle(List.of(
            inline("p/A.java", "package p;\n\nclass A {\n  int x;\n  void m() {}\n}\n"),
            inline("p/B.java", "package p;\nclass B {\n")));

        assertThat(events()).hasSize(2);
        ScanEvent a = events().getFirst();
        assertThat(a.path()).isEqualTo("p/A.java");
        assertThat(a.status()).isEqualTo(ScanEvent.Status.DONE);
        assertThat(a.lines()).isEqualTo(6);
        assertThat(a.nodes()).as("File, Package, A, x, m, and A's default constructor <init>()").isEqualTo(6);
        assertThat(a.relationships()).isPositive();
        assertThat(a.parseMicros()).isPositive();
        assertThat(a.busyMicros()).isGreaterThanOrEqualTo(a.parseMicros());
        assertThat(events().get(1).status()).isEqualTo(ScanEvent.Status.DONE_WITH_ERRORS);

        assertThat(metrics.get("ast2graph.files.parsed").tag("outcome", "ok").counter().count()).isEqualTo(1);
        assertThat(metrics.get("ast2graph.files.parsed").tag("outcome", "problems").counter().count()).isEqualTo(1);
        assertThat(metrics.get("ast2graph.parse.time").timer().count()).isEqualTo(2);
        assertThat(metrics.get("ast2graph.fragment.rows").summary().count()).isEqualTo(2);
        assertThat(metrics.get("ast2graph.fragment.bytes").summary().totalAmount()).isPositive();
        assertThat(metrics.get("ast2graph.files.slow").counter().count()).isZero();
    }

    @Test
    void countsFilesOverTheSlowThreshold() throws Exception {
        handler(Duration.ofNanos(1)).handle(List.of(inline("p/A.java", "class A {}\n")));

        assertThat(metrics.get("ast2graph.files.slow").tag("stage", "parser").counter().count()).isEqualTo(1);
    }
}
