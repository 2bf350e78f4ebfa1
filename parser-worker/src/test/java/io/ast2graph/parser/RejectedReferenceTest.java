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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reference-mode message is untrusted: whatever location it names, a parser reads nothing outside its source root,
 * and the message becomes an error record (dead-lettered, with a FAILED event naming the error) instead.
 */
class RejectedReferenceTest {
    @TempDir
    Path dir;

    private final MockProducer<String, byte[]> producer =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void referencesThatEscapeTheRootAreRejectedAndNothingOutsideIsRead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("ok"));
        Files.writeString(root.resolve("ok/A.java"), "package ok;\nclass A {}\n");
        Path secret = Files.createDirectories(dir.resolve("secret")).resolve("Secret.java");
        Files.writeString(secret, "class TopSecret {}\n");
        Files.createSymbolicLink(root.resolve("link"), secret.getParent());
        var handler = new ParserHandler(new TimedParser(new FragmentBuilder(), Duration.ofMinutes(1), 2),
            new MountedSources(Optional.of(root), 1 << 20), producer, "fragments", new ScanEvents(producer, "events"),
            "w/parser-0", Clock.systemUTC(), new SimpleMeterRegistry(), Duration.ofMinutes(1));

        List<ConsumeLoop.Rejected<FileRef>> rejected = handler.handle(List.of(reference("ok/A.java"),
            reference("../secret/Secret.java"), reference(secret.toString()), reference("link/Secret.java"),
            reference("ok/../../secret/Secret.java")));

        assertThat(rejected).extracting(r -> r.input().value().path())
            .containsExactly("../secret/Secret.java", secret.toString(), "link/Secret.java", "ok/../../secret/Secret.java");
        assertThat(rejected).extracting(r -> r.error().getMessage()).satisfiesExactly(
            m -> assertThat(m).contains("climbs out of the source root"),
            m -> assertThat(m).contains("is absolute"),
            m -> assertThat(m).contains("outside the source root through a symbolic link"),
            m -> assertThat(m).contains("climbs out of the source root"));
        // The one good reference became a fragment; nothing of the secret file reached any topic.
        assertThat(producer.history()).filteredOn(r -> r.topic().equals("fragments")).extracting(r -> r.key())
            .containsExactly("repo:ok/A.java");
        assertThat(producer.history()).allSatisfy(r ->
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("TopSecret"));

        // The consume loop dead-letters each rejected record; the handler reports it to the scan as FAILED.
        var escape = rejected.get(2);
        handler.deadLettered(escape.input().record(), escape.error());
        ScanEvent failed = Json.read(producer.history().getLast().value(), ScanEvent.class);
        assertThat(failed.status()).isEqualTo(ScanEvent.Status.FAILED);
        assertThat(failed.path()).isEqualTo("link/Secret.java");
        assertThat(failed.errorType()).isEqualTo("RejectedReferenceException");
    }

    private static ConsumeLoop.Input<FileRef> reference(String location) throws IOException {
        var ref = new FileRef("scan-1", "repo", location, "", 0, 1, new FileRef.Reference(location));
        return new ConsumeLoop.Input<>(new ConsumerRecord<>("files", 0, 0, ref.key(), Json.write(ref)), ref);
    }
}
