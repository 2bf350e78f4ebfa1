package io.ast2graph.producer;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.producer.SourcePublisher.Mode;
import io.ast2graph.producer.SourcePublisher.Settings;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SourcePublisherTest {
    private static final Topics TOPICS = Topics.withPrefix("test");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T05:30:00Z"), ZoneOffset.UTC);
    private static final String SCAN = "shop-20261122T053000Z-3fa2";
    private static final long VERSION = 1_790_000_000_000L;

    @TempDir
    Path root;

    private final MockProducer<String, byte[]> producer = mockProducer(/* autoComplete= */ true);

    @Test
    void publishesEachFileInlineBetweenStartedAndPublishedEvents() throws Exception {
        SourceFile main = write("src/Main.java", "class Main {}\n");
        SourceFile util = write("src/text/Strings.java", "class Strings { /* é */ }\n");

        PublishResult result = publisher(Settings.defaults(Mode.INLINE)).publish(SCAN, "shop", VERSION, List.of(main, util));

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic)
            .containsExactly(TOPICS.events(), TOPICS.files(), TOPICS.files(), TOPICS.events());
        assertThat(sent).extracting(ProducerRecord::key)
            .containsExactly(SCAN, "shop:src/Main.java", "shop:src/text/Strings.java", SCAN);
        assertEvent(sent.get(0), ScanEvent.Status.STARTED, 2);
        assertEvent(sent.get(3), ScanEvent.Status.PUBLISHED, 2);

        for (int i = 0; i < 2; i++) {
            SourceFile file = List.of(main, util).get(i);
            byte[] bytes = Files.readAllBytes(file.absolutePath());
            FileRef ref = Json.read(sent.get(i + 1).value(), FileRef.class);
            assertThat(ref.scanId()).isEqualTo(SCAN);
            assertThat(ref.repo()).isEqualTo("shop");
            assertThat(ref.path()).isEqualTo(file.relativePath());
            assertThat(ref.version()).isEqualTo(VERSION);
            assertThat(ref.size()).isEqualTo(bytes.length);
            assertThat(ref.sha256()).isEqualTo(sha256(bytes));
            assertThat(ref.content()).isInstanceOfSatisfying(FileRef.Inline.class,
                inline -> assertThat(inline.bytes()).isEqualTo(bytes));
        }
        assertThat(result.scanId()).isEqualTo(SCAN);
        assertThat(result.published()).isEqualTo(2);
        assertThat(result.skipped()).isEmpty();
        assertThat(result.bytes()).isEqualTo(main.size() + util.size());
        assertThat(producer.flushed()).isTrue();
    }

    @Test
    void referenceModeSendsTheRelativePathAndTheStreamedHash() throws Exception {
        byte[] large = new byte[300_000];   // several times the hashing buffer
        new Random(7).nextBytes(large);
        SourceFile file = write("gen/Large.java", large);

        PublishResult result = publisher(Settings.defaults(Mode.REFERENCE)).publish(SCAN, "shop", VERSION, List.of(file));

        FileRef ref = Json.read(producer.history().get(1).value(), FileRef.class);
        assertThat(ref.content()).isEqualTo(new FileRef.Reference("gen/Large.java"));
        assertThat(ref.sha256()).isEqualTo(sha256(large));
        assertThat(ref.size()).isEqualTo(large.length);
        assertThat(result.published()).isEqualTo(1);
        assertEvent(producer.history().get(2), ScanEvent.Status.PUBLISHED, 1);
    }

    @Test
    void inlineMessageOverTheLimitFallsBackToReference() throws Exception {
        SourceFile small = write("Small.java", "x".repeat(100));
        SourceFile overAsJson = write("Base64.java", "x".repeat(1_800));     // fits as bytes, not as base64 JSON
        SourceFile overAsFile = write("Huge.java", "x".repeat(5_000));
        var settings = new Settings(Mode.INLINE, /* maxMessageBytes= */ 2_000, /* referenceFallback= */ true, 100, 1 << 20);

        PublishResult result = publisher(settings).publish(SCAN, "shop", VERSION, List.of(small, overAsJson, overAsFile));

        List<FileRef> refs = fileRefs();
        assertThat(refs.get(0).content()).isInstanceOf(FileRef.Inline.class);
        assertThat(refs.subList(1, 3)).extracting(FileRef::content)
            .containsExactly(new FileRef.Reference("Base64.java"), new FileRef.Reference("Huge.java"));
        assertThat(refs.get(1).sha256()).isEqualTo(sha256(Files.readAllBytes(overAsJson.absolutePath())));
        assertThat(refs.get(2).size()).isEqualTo(5_000);
        assertThat(producer.history()).allSatisfy(record -> assertThat(record.value().length).isLessThanOrEqualTo(2_000));
        assertThat(result.published()).isEqualTo(3);
        assertThat(result.skipped()).isEmpty();
    }

    @Test
    void inlineMessageOverTheLimitIsSkippedWithoutFallback() throws Exception {
        SourceFile small = write("Small.java", "x".repeat(100));
        SourceFile overAsJson = write("Base64.java", "x".repeat(1_800));
        SourceFile overAsFile = write("Huge.java", "x".repeat(5_000));
        var settings = new Settings(Mode.INLINE, /* maxMessageBytes= */ 2_000, /* referenceFallback= */ false, 100, 1 << 20);

        PublishResult result = publisher(settings).publish(SCAN, "shop", VERSION, List.of(small, overAsJson, overAsFile));

        assertThat(fileRefs()).extracting(FileRef::path).containsExactly("Small.java");
        assertThat(result.skipped()).extracting(Skipped::relativePath).containsExactly("Base64.java", "Huge.java");
        assertThat(result.skipped()).allSatisfy(
            skipped -> assertThat(skipped.reason()).startsWith("larger than the broker's message limit"));
        assertThat(result.published()).isEqualTo(1);
        assertEvent(producer.history().getLast(), ScanEvent.Status.PUBLISHED, 1);
    }

    @Test
    void fileThatVanishedAfterTheWalkIsSkippedAndTheScanGoesOn() throws Exception {
        SourceFile gone = write("Gone.java", "class Gone {}");
        SourceFile kept = write("Kept.java", "class Kept {}");
        Files.delete(gone.absolutePath());

        for (Mode mode : Mode.values()) {
            producer.clear();
            PublishResult result = publisher(Settings.defaults(mode)).publish(SCAN, "shop", VERSION, List.of(gone, kept));

            assertThat(fileRefs()).extracting(FileRef::path).as(mode.name()).containsExactly("Kept.java");
            assertThat(result.skipped()).as(mode.name()).singleElement().satisfies(skipped -> {
                assertThat(skipped.relativePath()).isEqualTo("Gone.java");
                assertThat(skipped.reason()).contains("vanished");
            });
            assertEvent(producer.history().getLast(), ScanEvent.Status.PUBLISHED, 1);
        }
    }

    @Test
    void failedSendStopsTheScanAndNamesTheFile() throws Exception {
        var failing = new MockProducer<>(/* autoComplete= */ false, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
                Future<RecordMetadata> result = super.send(record, callback);
                if (record.key().endsWith("B.java")) {
                    errorNext(new TimeoutException("Expiring 1 record(s) for test.files-0"));
                } else {
                    completeNext();
                }
                return result;
            }
        };
        List<SourceFile> files = List.of(write("src/A.java", "class A {}"), write("src/B.java", "class B {}"),
            write("src/C.java", "class C {}"));
        var publisher = new SourcePublisher(failing, TOPICS, Settings.defaults(Mode.INLINE), CLOCK);

        assertThatThrownBy(() -> publisher.publish(SCAN, "shop", VERSION, files))
            .isInstanceOf(PublishException.class)
            .hasMessageContaining("file src/B.java to topic test.files")
            .hasMessageContaining("Expiring 1 record(s)")
            .hasCauseInstanceOf(TimeoutException.class);
        // STARTED only: an incomplete scan must not announce a count.
        assertThat(failing.history()).filteredOn(record -> record.topic().equals(TOPICS.events())).hasSize(1);
        assertThat(failing.history()).extracting(ProducerRecord::key).doesNotContain("shop:src/C.java");
    }

    @Test
    void boundsSendsInFlightAndAnnouncesOnlyAcknowledgedFiles() throws Exception {
        var maxUnacknowledged = new AtomicInteger();
        var unacknowledgedWhenPublished = new AtomicInteger(-1);
        var slow = new MockProducer<>(/* autoComplete= */ false, null, new StringSerializer(), new ByteArraySerializer()) {
            private final List<Future<RecordMetadata>> results = new ArrayList<>();

            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
                Future<RecordMetadata> result = super.send(record, callback);
                // Whoever completed them (the broker thread or flush()), only sends not done are in flight.
                int unacknowledged = (int) results.stream().filter(f -> !f.isDone()).count();
                if (record.topic().equals(TOPICS.events()) && !results.isEmpty()) {
                    unacknowledgedWhenPublished.set(unacknowledged);
                }
                results.add(result);
                maxUnacknowledged.accumulateAndGet(unacknowledged + 1, Math::max);
                return result;
            }
        };
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            files.add(write("F" + i + ".java", "class F" + i + " {}"));
        }
        var done = new AtomicBoolean();
        // The broker: acknowledges the oldest send whenever there is one, at its own pace.
        Thread broker = Thread.ofVirtual().start(() -> {
            while (!done.get()) {
                slow.completeNext();
                Thread.onSpinWait();
            }
        });
        var settings = new Settings(Mode.INLINE, 1 << 20, true, /* maxInFlight= */ 3, 1 << 20);
        var publisher = new SourcePublisher(slow, TOPICS, settings, CLOCK);

        PublishResult result;
        try {
            result = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> publisher.publish(SCAN, "shop", VERSION, files));
        } finally {
            done.set(true);
            broker.join();
        }

        assertThat(result.published()).isEqualTo(50);
        assertThat(maxUnacknowledged.get()).isBetween(1, 3);
        assertThat(unacknowledgedWhenPublished.get()).as("files unacknowledged when PUBLISHED went out").isZero();
    }

    @Test
    void settingsRejectNonsenseSayingWhatIsWrong() {
        assertThatThrownBy(() -> new Settings(Mode.INLINE, 0, true, 10, 10))
            .hasMessage("the inline message limit must be at least 1 byte, was 0");
        assertThatThrownBy(() -> new Settings(Mode.INLINE, 10, true, 0, 10))
            .hasMessage("the sends in flight must be between 1 and 1000000, was 0");
    }

    private List<FileRef> fileRefs() {
        return producer.history().stream()
            .filter(record -> record.topic().equals(TOPICS.files()))
            .map(record -> Json.read(record.value(), FileRef.class))
            .toList();
    }

    @Test
    void publishesAChangeSetByReferenceWithoutRereadingAndATombstoneReferencePerDeletion() throws Exception {
        SourceFile changed = write("src/Changed.java", "class Changed {}\n");
        // The hash the change detection computed travels as it is: the publisher does not read the file again.
        var digested = new DigestedFile(changed, "ab".repeat(32), 17);
        var changes = new ChangeSet(List.of(digested), List.of("src/Gone.java"), 0, 1, 5);

        var publisher = publisher(Settings.defaults(Mode.REFERENCE));
        PublishResult result = publisher.publish(SCAN, "shop", VERSION, changes);

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::key)
            .containsExactly(SCAN, "shop:src/Changed.java", "shop:src/Gone.java", SCAN);
        assertEvent(sent.get(0), ScanEvent.Status.STARTED, 2);
        assertEvent(sent.get(3), ScanEvent.Status.PUBLISHED, 2);
        FileRef ref = Json.read(sent.get(1).value(), FileRef.class);
        assertThat(ref.sha256()).isEqualTo("ab".repeat(32));
        assertThat(ref.content()).isEqualTo(new FileRef.Reference("src/Changed.java"));
        FileRef gone = Json.read(sent.get(2).value(), FileRef.class);
        assertThat(gone.path()).isEqualTo("src/Gone.java");
        assertThat(gone.version()).isEqualTo(VERSION);
        assertThat(gone.content()).isInstanceOf(FileRef.Deleted.class);
        assertThat(result.published()).isEqualTo(2);
        assertThat(result.sha256ByPath()).containsExactly(java.util.Map.entry("src/Changed.java", "ab".repeat(32)));
        assertThat(result.deleted()).containsExactly("src/Gone.java");
        assertThat(publisher.publishedSoFar()).isEqualTo(2);
    }

    @Test
    void inlineChangesCarryTheHashOfTheBytesSentNotOfTheBytesHashedBefore() throws Exception {
        SourceFile file = write("src/Edited.java", "class Edited { int now; }\n");
        var stale = new DigestedFile(file, "00".repeat(32), 10);

        PublishResult result = publisher(Settings.defaults(Mode.INLINE))
            .publish(SCAN, "shop", VERSION, new ChangeSet(List.of(stale), List.of(), 0, 1, 0));

        String actual = sha256(Files.readAllBytes(file.absolutePath()));
        assertThat(Json.read(producer.history().get(1).value(), FileRef.class).sha256()).isEqualTo(actual);
        assertThat(result.sha256ByPath()).containsEntry("src/Edited.java", actual);
    }

    private void assertEvent(ProducerRecord<String, byte[]> record, ScanEvent.Status status, long count) {
        ScanEvent event = Json.read(record.value(), ScanEvent.class);
        assertThat(event.scanId()).isEqualTo(SCAN);
        assertThat(event.repo()).isEqualTo("shop");
        assertThat(event.stage()).isEqualTo(ScanEvent.Stage.PRODUCER);
        assertThat(event.status()).isEqualTo(status);
        assertThat(event.count()).isEqualTo(count);
        assertThat(event.timeMillis()).isEqualTo(CLOCK.millis());
    }

    private SourcePublisher publisher(Settings settings) {
        return new SourcePublisher(producer, TOPICS, settings, CLOCK);
    }

    private SourceFile write(String relativePath, String content) throws IOException {
        return write(relativePath, content.getBytes(StandardCharsets.UTF_8));
    }

    private SourceFile write(String relativePath, byte[] content) throws IOException {
        Path file = root.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return new SourceFile(file, relativePath, content.length);
    }

    private static MockProducer<String, byte[]> mockProducer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, /* partitioner= */ null, new StringSerializer(), new ByteArraySerializer());
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
