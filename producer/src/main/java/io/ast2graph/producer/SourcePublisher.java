package io.ast2graph.producer;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.Topics;
import io.ast2graph.common.model.FileKey;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.common.model.ScanEvent.Stage;
import io.ast2graph.common.model.ScanEvent.Status;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes one {@link FileRef} per source file to the files topic, keyed by {@link FileKey#of}, framed by two
 * {@link ScanEvent}s on the events topic, keyed by the scan id: {@code STARTED}, with the number of records to
 * expect, before the first file and {@code PUBLISHED}, with the number published, once Kafka acknowledged every one
 * of them.
 *
 * <p>Content modes: {@link Mode#INLINE} puts the file's bytes in the message, so workers need no shared volume;
 * a file whose message would exceed {@link Settings#maxMessageBytes()} goes by reference instead, or is skipped if
 * {@link Settings#referenceFallback()} is off. {@link Mode#REFERENCE} sends the relative path, which each worker
 * resolves under its own mount of the source root. Either way the SHA-256 of the bytes travels with the message.
 *
 * <p>Delivery: sends are asynchronous, with at most {@link Settings#maxInFlight()} records and
 * {@link Settings#maxInFlightBytes()} bytes unchecked at a time; at the end the producer is flushed and every send's
 * result is checked. Nothing is dropped silently: a failed send stops the scan with a {@link PublishException} naming
 * the file; a file that cannot be read (vanished, permissions) is {@link Skipped} and the scan goes on.
 *
 * <p>The producer belongs to the caller, who configures it (idempotence, compression, {@code max.request.size}
 * above the message limit) and closes it. Not thread-safe: one publish at a time.
 */
public final class SourcePublisher {
    /** Who the events say reported them. */
    static final String WORKER = "producer";

    /** Where a worker finds a file's bytes. */
    public enum Mode { INLINE, REFERENCE }

    /**
     * How to publish.
     *
     * @param mode              ({@code --mode}) inline bytes or references; default INLINE
     * @param maxMessageBytes   the largest serialized FileRef to send inline; default
     *                          1 MiB, the broker's default {@code message.max.bytes}
     * @param referenceFallback whether an inline message over the limit goes by reference instead of being skipped;
     *                          default true, which needs workers that mount the source root
     * @param maxInFlight       sends not yet checked, at most; default 10000
     * @param maxInFlightBytes  bytes of messages not yet checked, at most; default 64 MiB
     */
    public record Settings(Mode mode, int maxMessageBytes, boolean referenceFallback, int maxInFlight,
                           long maxInFlightBytes) {
        public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

        public Settings {
            Objects.requireNonNull(mode, "mode");
            if (maxMessageBytes < 1) {
                throw new IllegalArgumentException("the inline message limit must be at least 1 byte, was " + maxMessageBytes);
            }
            if (maxInFlight < 1 || maxInFlight > 1_000_000) {
                throw new IllegalArgumentException("the sends in flight must be between 1 and 1000000, was " + maxInFlight);
            }
            if (maxInFlightBytes < 1) {
                throw new IllegalArgumentException("the bytes in flight must be at least 1, was " + maxInFlightBytes);
            }
        }

        public static Settings defaults(Mode mode) {
            return new Settings(mode, DEFAULT_MAX_MESSAGE_BYTES, /* referenceFallback= */ true, 10_000, 64L * 1024 * 1024);
        }
    }

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final Settings settings;
    private final Clock clock;
    private final Sha256 sha256 = new Sha256();
    private final AtomicLong publishedSoFar = new AtomicLong();

    /** @param clock stamps the events' {@code timeMillis} */
    public SourcePublisher(Producer<String, byte[]> producer, Topics topics, Settings settings, Clock clock) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Publishes a scan of every file: the STARTED event, one FileRef per readable file, then the PUBLISHED event.
     *
     * @param scanId  the scan's id, e.g. from {@link ScanId#next}
     * @param repo    the repository name every file is keyed under
     * @param version the version of every file of this scan: take it once per scan (e.g. the wall clock in millis),
     *                so that writers keep the newest scan's graph of each file
     * @param files   the files, in the order to publish them
     * @return what was published and skipped
     * @throws PublishException     if Kafka did not take a record; the scan is then incomplete
     * @throws InterruptedException if interrupted while waiting for Kafka; the scan is then incomplete
     */
    public PublishResult publish(String scanId, String repo, long version, List<SourceFile> files)
        throws InterruptedException {
        return publish(scanId, repo, version, files, List.of(), files.size());
    }

    /**
     * Publishes the changes of a rescan: one FileRef per file of {@link ChangeSet#toPublish()} (its content hashed
     * already, so a reference is sent without reading the file again), and one FileRef with
     * {@link FileRef.Deleted} content per deleted path, which parsers turn into a tombstone that removes the file's
     * subgraph. The PUBLISHED event counts both.
     *
     * @see #publish(String, String, long, List)
     */
    public PublishResult publish(String scanId, String repo, long version, ChangeSet changes)
        throws InterruptedException {
        return publish(scanId, repo, version, changes.toPublish(), changes.deleted(), changes.size());
    }

    /** How many records of the current (or last) publish Kafka took so far; may be read from any thread. */
    public long publishedSoFar() {
        return publishedSoFar.get();
    }

    /** @param files {@link SourceFile}s, or {@link DigestedFile}s whose hash is known */
    private PublishResult publish(String scanId, String repo, long version, List<?> files, List<String> deleted,
                                  long expected) throws InterruptedException {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(repo, "repo");
        long start = System.nanoTime();
        publishedSoFar.set(0);
        var window = new SendWindow(settings.maxInFlight(), settings.maxInFlightBytes());
        // STARTED says how many records to expect, so a watcher can show progress before PUBLISHED confirms it.
        sendEvent(window, scanId, repo, Status.STARTED, expected);

        List<Skipped> skipped = new ArrayList<>();
        Map<String, String> sha256ByPath = new LinkedHashMap<>();
        long bytes = 0;
        for (Object item : files) {
            Outcome outcome = switch (item) {
                case DigestedFile digested -> prepare(scanId, repo, version, digested.file(),
                    new Sha256.FileDigest(digested.sha256(), digested.size()));
                case SourceFile file -> prepare(scanId, repo, version, file, null);
                default -> throw new IllegalArgumentException("not a file: " + item);
            };
            switch (outcome) {
                case Message message -> {
                    send(window, topics.files(), FileKey.of(repo, message.path()), message.json(), "file " + message.path());
                    sha256ByPath.put(message.path(), message.sha256());
                    publishedSoFar.incrementAndGet();
                    bytes += message.sourceBytes();
                }
                case Skip skip -> skipped.add(skip.skipped());
            }
        }
        for (String path : deleted) {
            var ref = new FileRef(scanId, repo, path, "", 0, version, new FileRef.Deleted());
            send(window, topics.files(), FileKey.of(repo, path), Json.write(ref), "the deletion of " + path);
            publishedSoFar.incrementAndGet();
        }
        // PUBLISHED promises a count: send it only once Kafka holds every file it counts.
        window.drain(producer);
        long published = sha256ByPath.size() + (long) deleted.size();
        sendEvent(window, scanId, repo, Status.PUBLISHED, published);
        window.drain(producer);
        return new PublishResult(scanId, published, skipped, bytes, System.nanoTime() - start, sha256ByPath, deleted);
    }

    /** A file made ready to send, or the reason it cannot be. */
    private sealed interface Outcome permits Message, Skip {}

    /**
     * @param sha256      the hash of the content the message names or carries
     * @param sourceBytes the size of the file, for the result's byte count
     */
    private record Message(String path, byte[] json, String sha256, long sourceBytes) implements Outcome {}

    private record Skip(Skipped skipped) implements Outcome {}

    /** @param known the file's digest if it was hashed already, else null */
    private Outcome prepare(String scanId, String repo, long version, SourceFile file, Sha256.FileDigest known) {
        String path = file.relativePath();
        try {
            // Base64 makes inline JSON larger than the file itself, so a file over the limit cannot fit: do not read
            // it into memory to find that out.
            if (settings.mode() == Mode.INLINE && file.size() <= settings.maxMessageBytes()) {
                // Inline sends the bytes read now, and their hash: the file may have changed since it was hashed.
                byte[] bytes = Files.readAllBytes(file.absolutePath());
                String sha = sha256.of(bytes);
                byte[] json = Json.write(new FileRef(scanId, repo, path, sha, bytes.length, version, new FileRef.Inline(bytes)));
                if (json.length <= settings.maxMessageBytes()) {
                    return new Message(path, json, sha, bytes.length);
                }
                return settings.referenceFallback()
                    ? byReference(scanId, repo, version, path, new Sha256.FileDigest(sha, bytes.length))
                    : tooLargeForMessage(path);
            }
            if (settings.mode() == Mode.INLINE && !settings.referenceFallback()) {
                return tooLargeForMessage(path);
            }
            return byReference(scanId, repo, version, path, known != null ? known : sha256.of(file.absolutePath()));
        } catch (IOException e) {
            return new Skip(new Skipped(path, "unreadable: " + describe(e)));
        }
    }

    private static Message byReference(String scanId, String repo, long version, String path, Sha256.FileDigest digest) {
        var ref = new FileRef(scanId, repo, path, digest.sha256(), digest.size(), version, new FileRef.Reference(path));
        return new Message(path, Json.write(ref), digest.sha256(), digest.size());
    }

    private Skip tooLargeForMessage(String path) {
        return new Skip(new Skipped(path, "larger than the broker's message limit (" + settings.maxMessageBytes()
            + " bytes as JSON); publish it by reference (--mode REFERENCE), which needs workers that mount the sources"));
    }

    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException gone -> "the file vanished after the walk (" + gone.getFile() + ")";
            case AccessDeniedException denied -> "permission denied (" + denied.getFile() + ")";
            default -> e.toString();
        };
    }

    private void sendEvent(SendWindow window, String scanId, String repo, Status status, long count)
        throws InterruptedException {
        var event = new ScanEvent(scanId, repo, Stage.PRODUCER, status, "", count, "", "", clock.millis(), WORKER);
        send(window, topics.events(), scanId, Json.write(event), "the " + status + " event of scan " + scanId);
    }

    private void send(SendWindow window, String topic, String key, byte[] value, String what)
        throws InterruptedException {
        window.makeRoom(value.length);
        String described = what + " to topic " + topic;
        Future<RecordMetadata> result;
        try {
            result = producer.send(new ProducerRecord<>(topic, key, value));
        } catch (KafkaException | IllegalStateException e) {
            // Thrown at once rather than through the future: a closed or fenced producer, a serializer error.
            throw new PublishException("could not publish " + described + ": " + e + ". The scan is incomplete", e);
        }
        window.add(result, described, value.length);
    }
}
