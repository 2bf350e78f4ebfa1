package io.ast2graph.parser;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.DownstreamUnavailableException;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.ScanEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The parser stage plugged into the consume loop: reads each file's bytes (inline, or from the mounted source
 * root), builds its fragment, and produces it to the fragments topic keyed by repo + path. Returns only once Kafka
 * acknowledged every fragment, so the loop commits a file reference only after its fragment is durable.
 *
 * <p>A file that does not parse still yields a fragment (its File node and the problems); only a reference that
 * cannot be read at all is rejected to the dead-letter topic. One handler per consume loop (not thread-safe).
 */
public final class ParserHandler implements ConsumeLoop.Handler<FileRef> {
    private final TimedParser builder;
    private final MountedSources sources;
    private final Producer<String, byte[]> producer;
    private final String fragmentsTopic;
    private final ScanEvents events;
    private final String worker;
    private final Clock clock;
    private final Timer parseTime;
    private final Counter parsed;
    private final Counter withProblems;
    private final MessageDigest sha256;

    public ParserHandler(TimedParser builder, MountedSources sources, Producer<String, byte[]> producer,
                         String fragmentsTopic, ScanEvents events, String worker, Clock clock, MeterRegistry metrics) {
        this.builder = builder;
        this.sources = sources;
        this.producer = producer;
        this.fragmentsTopic = fragmentsTopic;
        this.events = events;
        this.worker = worker;
        this.clock = clock;
        this.parseTime = Timer.builder("ast2graph.parser.parse").description("time to build one file's fragment")
            .publishPercentileHistogram().register(metrics);
        this.parsed = metrics.counter("ast2graph.parser.files");
        this.withProblems = metrics.counter("ast2graph.parser.files.with_problems");
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public List<ConsumeLoop.Rejected<FileRef>> handle(List<ConsumeLoop.Input<FileRef>> batch)
        throws DownstreamUnavailableException {
        List<ConsumeLoop.Rejected<FileRef>> rejected = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (ConsumeLoop.Input<FileRef> input : batch) {
            FileRef ref = input.value();
            GraphFragment fragment;
            long start = System.nanoTime();
            switch (ref.content()) {
                case FileRef.Deleted deleted ->
                    fragment = GraphFragment.tombstone(ref.scanId(), ref.repo(), ref.path(), ref.version());
                case FileRef.Inline inline -> {
                    try {
                        fragment = build(ref, inline.bytes());
                    } catch (TimedParser.ParseTimeoutException e) {
                        rejected.add(new ConsumeLoop.Rejected<>(input, e));
                        continue;
                    }
                }
                case FileRef.Reference reference -> {
                    try {
                        fragment = build(ref, sources.read(reference.location()));
                    } catch (MountedSources.RejectedReferenceException | TimedParser.ParseTimeoutException e) {
                        rejected.add(new ConsumeLoop.Rejected<>(input, e));
                        continue;
                    }
                }
            }
            sends.add(producer.send(FragmentRecords.toRecord(fragmentsTopic, fragment)));
            if (!fragment.isTombstone()) {
                ScanEvent.Status status = fragment.problems().isEmpty() ? ScanEvent.Status.DONE : ScanEvent.Status.DONE_WITH_ERRORS;
                String detail = fragment.problems().isEmpty() ? "" : fragment.problems().getFirst().message();
                // Reading and parsing, so that `ast2graph status` can name the slowest files.
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                events.send(new ScanEvent(ref.scanId(), ref.repo(), ScanEvent.Stage.PARSER, status, ref.path(), 0,
                    fragment.problems().isEmpty() ? "" : "ParseProblem", detail, clock.millis(), worker, micros));
            }
        }
        awaitAcknowledged(sends);
        events.awaitSent();
        return rejected;
    }

    private GraphFragment build(FileRef ref, byte[] content) throws TimedParser.ParseTimeoutException {
        long start = System.nanoTime();
        // The fragment names the bytes actually parsed: with reference mode the file may have changed since publishing.
        String sha = HexFormat.of().formatHex(sha256.digest(content));
        GraphFragment fragment;
        try {
            fragment = builder.build(ref.scanId(), ref.repo(), ref.path(), sha, ref.version(), content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimedParser.ParseTimeoutException("interrupted while parsing " + ref.path());
        }
        parseTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        parsed.increment();
        if (!fragment.problems().isEmpty()) {
            withProblems.increment();
        }
        return fragment;
    }

    private void awaitAcknowledged(List<Future<RecordMetadata>> sends) throws DownstreamUnavailableException {
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(120, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException("interrupted while producing fragments", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DownstreamUnavailableException("cannot produce fragments to " + fragmentsTopic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deadLettered(ConsumerRecord<String, byte[]> record, Throwable error) {
        try {
            FileRef ref = Json.read(record.value(), FileRef.class);
            events.send(new ScanEvent(ref.scanId(), ref.repo(), ScanEvent.Stage.PARSER, ScanEvent.Status.FAILED,
                ref.path(), 0, error.getClass().getSimpleName(), String.valueOf(error.getMessage()), clock.millis(), worker));
        } catch (RuntimeException undecodable) {
            // Without a decodable reference there is no scan to report to; the dead-letter topic has the record.
        }
    }
}
