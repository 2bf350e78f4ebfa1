package io.ast2graph.producer;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The sends not yet checked, bounded by count and by bytes. When it is full, {@link #makeRoom} waits for the oldest
 * send and checks its result before a new one goes out; so a scan never holds more than the bounds in memory, and a
 * failure stops it within one window instead of at the end (at once if the failed send is the oldest). Each wait is
 * bounded by the producer's {@code delivery.timeout.ms}, after which Kafka fails the send.
 *
 * <p>Not thread-safe: it belongs to one publish call.
 */
final class SendWindow {
    /** @param what names the record and its topic in an error message, e.g. "file src/A.java to topic t" */
    private record Pending(Future<RecordMetadata> result, String what, long bytes) {}

    private final Deque<Pending> pending = new ArrayDeque<>();
    private final int maxRecords;
    private final long maxBytes;
    private long bytes;

    SendWindow(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Checks the sends that already completed, then waits until the window has room for a record of {@code size}
     * bytes; a record larger than the window fits alone.
     */
    void makeRoom(long size) throws InterruptedException {
        // Completed sends cost nothing to check, and a failure among them stops the scan now rather than a window later.
        while (!pending.isEmpty() && pending.peekFirst().result().isDone()) {
            check(pending.removeFirst());
        }
        while (!pending.isEmpty() && (pending.size() >= maxRecords || bytes + size > maxBytes)) {
            check(pending.removeFirst());
        }
    }

    void add(Future<RecordMetadata> result, String what, long size) {
        pending.addLast(new Pending(result, what, size));
        bytes += size;
    }

    /** Flushes the producer, then checks every send still in the window. */
    void drain(Producer<String, byte[]> producer) throws InterruptedException {
        producer.flush();
        while (!pending.isEmpty()) {
            check(pending.removeFirst());
        }
    }

    private void check(Pending send) throws InterruptedException {
        bytes -= send.bytes();
        try {
            send.result().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String hint = cause instanceof RecordTooLargeException
                ? "; the producer's max.request.size must exceed the inline message limit plus the key and ~100 bytes"
                : "";
            throw new PublishException("could not publish " + send.what() + ": " + cause
                + hint + ". The scan is incomplete; fix the cause and run it again", cause);
        }
    }
}
