package io.ast2graph.parser;

import io.ast2graph.common.json.Json;
import io.ast2graph.common.kafka.ConsumeLoop;
import io.ast2graph.common.kafka.DownstreamUnavailableException;
import io.ast2graph.common.kafka.FragmentRecords;
import io.ast2graph.common.kafka.KafkaClients;
import io.ast2graph.common.kafka.ScanEvents;
import io.ast2graph.common.model.FileRef;
import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.common.model.ScanEvent;
import io.ast2graph.common.model.GraphNode;
import io.ast2graph.common.model.ParseProblem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * cannot be read at all is rejected to the dead-letter topic. A fragment too large for the fragments topic
 * (generated code: the 1.3 MB ANTLR parser of Neo4j's Cypher 25 gives 18 MB of JSON) is written without its calls,
 * or as its File node alone, with a problem that says so; before, the producer's refusal was taken for an unavailable
 * broker and the partition was retried for ever. One handler per consume loop (not thread-safe).
 */
public final class ParserHandler implements ConsumeLoop.Handler<FileRef> {
    private static final Logger log = LoggerFactory.getLogger(ParserHandler.class);

    private final TimedParser builder;
    private final MountedSources sources;
    private final Producer<String, byte[]> producer;
    private final String fragmentsTopic;
    private final ScanEvents events;
    private final String worker;
    private final Clock clock;
    private final Duration slowFile;
    private final Timer parseTime;
    private final Counter parsedOk;
    private final Counter parsedWithProblems;
    private final Counter slowFiles;
    private final DistributionSummary fragmentRows;
    private final DistributionSummary fragmentBytes;
    private final MessageDigest sha256;
    private final int maxFragmentBytes;

    /**
     * The largest fragment sent as it is: the producer's request limit less room for the record's key, headers and
     * framing. A larger one is reduced ({@link #reduced}).
     */
    static final int MAX_FRAGMENT_BYTES = KafkaClients.MAX_MESSAGE_BYTES - 64 * 1024;

    public ParserHandler(TimedParser builder, MountedSources sources, Producer<String, byte[]> producer,
                         String fragmentsTopic, ScanEvents events, String worker, Clock clock, MeterRegistry metrics,
                         Duration slowFile) {
        this(builder, sources, producer, fragmentsTopic, events, worker, clock, metrics, slowFile, MAX_FRAGMENT_BYTES);
    }

    /** For tests: fragments above {@code maxFragmentBytes} are reduced. */
    ParserHandler(TimedParser builder, MountedSources sources, Producer<String, byte[]> producer,
                  String fragmentsTopic, ScanEvents events, String worker, Clock clock, MeterRegistry metrics,
                  Duration slowFile, int maxFragmentBytes) {
        this.maxFragmentBytes = maxFragmentBytes;
        this.builder = builder;
        this.sources = sources;
        this.producer = producer;
        this.fragmentsTopic = fragmentsTopic;
        this.events = events;
        this.worker = worker;
        this.clock = clock;
        this.slowFile = slowFile;
        // The names and meaning of these meters are documented in docs/metrics.md; keep both in step.
        this.parseTime = Timer.builder("ast2graph.parse.time").description("time to build one file's fragment")
            .publishPercentileHistogram().register(metrics);
        this.parsedOk = Counter.builder("ast2graph.files.parsed").tag("outcome", "ok")
            .description("files parsed into a fragment").register(metrics);
        this.parsedWithProblems = Counter.builder("ast2graph.files.parsed").tag("outcome", "problems")
            .description("files parsed into a fragment").register(metrics);
        this.slowFiles = Counter.builder("ast2graph.files.slow").tag("stage", "parser")
            .description("files whose parse took longer than the slow-file threshold").register(metrics);
        this.fragmentRows = DistributionSummary.builder("ast2graph.fragment.rows")
            .description("nodes plus relationships of one file's fragment").register(metrics);
        this.fragmentBytes = DistributionSummary.builder("ast2graph.fragment.bytes").baseUnit("bytes")
            .description("serialized size of one file's fragment").register(metrics);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public List<ConsumeLoop.Rejected<FileRef>> handle(List<ConsumeLoop.Input<FileRef>> batch)
        throws DownstreamUnavailableException {
        long batchStart = System.nanoTime();
        List<ConsumeLoop.Rejected<FileRef>> rejected = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        List<Parsed> parsedFiles = new ArrayList<>(batch.size());
        for (ConsumeLoop.Input<FileRef> input : batch) {
            FileRef ref = input.value();
            Parsed parsed;
            switch (ref.content()) {
                case FileRef.Deleted deleted -> parsed = new Parsed(ref,
                    GraphFragment.tombstone(ref.scanId(), ref.repo(), ref.path(), ref.version()), 0);
                case FileRef.Inline inline -> {
                    try {
                        parsed = build(ref, inline.bytes());
                    } catch (TimedParser.ParseTimeoutException e) {
                        rejected.add(new ConsumeLoop.Rejected<>(input, e));
                        continue;
                    }
                }
                case FileRef.Reference reference -> {
                    try {
                        parsed = build(ref, sources.read(reference.location()));
                    } catch (MountedSources.RejectedReferenceException | TimedParser.ParseTimeoutException e) {
                        rejected.add(new ConsumeLoop.Rejected<>(input, e));
                        continue;
                    }
                }
            }
            var record = FragmentRecords.toRecord(fragmentsTopic, parsed.fragment());
            if (record.value() != null && record.value().length > maxFragmentBytes) {
                parsed = reduced(parsed, record.value().length);
                record = FragmentRecords.toRecord(fragmentsTopic, parsed.fragment());
            }
            fragmentBytes.record(record.value() == null ? 0 : record.value().length);
            sends.add(producer.send(record));
            parsedFiles.add(parsed);
        }
        // The broker may take less than the producer (a topic's max.message.bytes set lower): those files go again
        // as their File node alone, and a file even that does not fit is dead-lettered.
        List<Integer> tooLarge = awaitAcknowledged(sends);
        if (!tooLarge.isEmpty()) {
            List<Future<RecordMetadata>> again = new ArrayList<>();
            for (int i : tooLarge) {
                Parsed alone = fileAlone(parsedFiles.get(i), "the fragments topic refused it as too large");
                parsedFiles.set(i, alone);
                again.add(producer.send(FragmentRecords.toRecord(fragmentsTopic, alone.fragment())));
            }
            List<Integer> stillTooLarge = awaitAcknowledged(again);
            for (int j = stillTooLarge.size() - 1; j >= 0; j--) {
                int i = tooLarge.get(stillTooLarge.get(j));
                Parsed dropped = parsedFiles.remove(i);
                rejected.add(new ConsumeLoop.Rejected<>(batch.stream()
                    .filter(input -> input.value() == dropped.ref()).findFirst().orElseThrow(),
                    new RecordTooLargeException("even the File node of " + dropped.ref().path()
                        + " is too large for the fragments topic " + fragmentsTopic)));
            }
        }
        // Each file's busy share: its own parse time plus an even share of what the batch spent on anything else
        // (reading, producing, waiting for acknowledgements). Summed per worker it is the time spent in handle().
        long totalMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - batchStart);
        long parseMicros = parsedFiles.stream().mapToLong(Parsed::parseMicros).sum();
        long overheadShare = parsedFiles.isEmpty() ? 0 : Math.max(0, totalMicros - parseMicros) / parsedFiles.size();
        long now = clock.millis();
        for (Parsed parsed : parsedFiles) {
            GraphFragment fragment = parsed.fragment();
            if (fragment.isTombstone()) {
                continue;
            }
            FileRef ref = parsed.ref();
            boolean clean = fragment.problems().isEmpty();
            events.send(new ScanEvent(ref.scanId(), ref.repo(), ScanEvent.Stage.PARSER,
                clean ? ScanEvent.Status.DONE : ScanEvent.Status.DONE_WITH_ERRORS, ref.path(), 0,
                clean ? "" : "ParseProblem", clean ? "" : fragment.problems().getFirst().message(), now, worker,
                linesOf(fragment), fragment.nodes().size(), fragment.relationships().size(),
                parsed.parseMicros(), parsed.parseMicros() + overheadShare));
        }
        events.awaitSent();
        return rejected;
    }

    /** A file's fragment and how long building it took. */
    private record Parsed(FileRef ref, GraphFragment fragment, long parseMicros) {}

    private Parsed build(FileRef ref, byte[] content) throws TimedParser.ParseTimeoutException {
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
        long nanos = System.nanoTime() - start;
        parseTime.record(nanos, TimeUnit.NANOSECONDS);
        (fragment.problems().isEmpty() ? parsedOk : parsedWithProblems).increment();
        fragmentRows.record(fragment.nodes().size() + fragment.relationships().size());
        if (nanos > slowFile.toNanos()) {
            slowFiles.increment();
            // The path only, never the content: file text stays out of logs.
            log.warn("slow file: {}:{} took {} ms to parse ({} bytes, threshold {} ms)", ref.repo(), ref.path(),
                TimeUnit.NANOSECONDS.toMillis(nanos), content.length, slowFile.toMillis());
        }
        return new Parsed(ref, fragment, TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    /** The line count the builder put on the File node; 0 if absent. */
    private static long linesOf(GraphFragment fragment) {
        for (GraphNode node : fragment.nodes()) {
            if (node.label().equals(GraphVocabulary.FILE) && node.properties().get("loc") instanceof Number loc) {
                return loc.longValue();
            }
        }
        return 0;
    }

    /**
     * Waits for every send; a send refused because its record is too large is a fact about that record, not about the
     * broker, so it is returned (by its index) rather than retried. Any other failure means the broker is unavailable.
     */
    private List<Integer> awaitAcknowledged(List<Future<RecordMetadata>> sends) throws DownstreamUnavailableException {
        List<Integer> tooLarge = new ArrayList<>();
        try {
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get(120, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RecordTooLargeException)) {
                        throw e;
                    }
                    tooLarge.add(i);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownstreamUnavailableException("interrupted while producing fragments", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DownstreamUnavailableException("cannot produce fragments to " + fragmentsTopic + ": " + e.getMessage(), e);
        }
        return tooLarge;
    }

    /**
     * A fragment of {@code bytes}, above the limit, made to fit: without the file's calls (its {@code INVOKES} edges
     * and the calls left to the link step, most of a generated file's rows), else its File node alone. Either way the
     * File node counts one more problem, which names the sizes, so the graph shows that the file is incomplete.
     */
    private Parsed reduced(Parsed parsed, int bytes) {
        GraphFragment full = parsed.fragment();
        String why = "the fragment is %,d bytes, more than the %,d the fragments topic takes".formatted(bytes,
            maxFragmentBytes);
        GraphFragment withoutCalls = withProblem(new GraphFragment(full.scanId(), full.repo(), full.path(),
            full.sha256(), full.version(), full.fileId(), full.builderVersion(), full.nodes(),
            full.relationships().stream().filter(r -> !r.type().equals(GraphVocabulary.INVOKES)).toList(),
            full.problems(), full.references(), List.of()), why + ": its method calls were left out");
        byte[] value = FragmentRecords.toRecord(fragmentsTopic, withoutCalls).value();
        Parsed reduced = value.length <= maxFragmentBytes
            ? new Parsed(parsed.ref(), withoutCalls, parsed.parseMicros())
            : fileAlone(parsed, why);
        log.warn("oversized fragment: {}:{}: {}", parsed.ref().repo(), parsed.ref().path(),
            reduced.fragment().problems().getLast().message());
        return reduced;
    }

    /** The fragment reduced to its File node, with a problem that says why. */
    private static Parsed fileAlone(Parsed parsed, String why) {
        GraphFragment full = parsed.fragment();
        List<GraphNode> file = full.nodes().stream().filter(n -> n.label().equals(GraphVocabulary.FILE)).toList();
        return new Parsed(parsed.ref(), withProblem(new GraphFragment(full.scanId(), full.repo(), full.path(),
            full.sha256(), full.version(), full.fileId(), full.builderVersion(), file, List.of(), full.problems(),
            List.of(), List.of()), why + ": only its File node was written"), parsed.parseMicros());
    }

    /** The fragment with one more problem, counted on its File node's {@code parseErrors}. */
    private static GraphFragment withProblem(GraphFragment fragment, String message) {
        List<ParseProblem> problems = new ArrayList<>(fragment.problems());
        problems.add(new ParseProblem(message, 0));
        List<GraphNode> nodes = fragment.nodes().stream().map(node -> {
            if (!node.label().equals(GraphVocabulary.FILE)) {
                return node;
            }
            Map<String, Object> properties = new HashMap<>(node.properties());
            properties.put("parseErrors", (long) problems.size());
            return new GraphNode(node.label(), node.id(), node.extraLabels(), properties, node.shared());
        }).toList();
        return new GraphFragment(fragment.scanId(), fragment.repo(), fragment.path(), fragment.sha256(),
            fragment.version(), fragment.fileId(), fragment.builderVersion(), nodes, fragment.relationships(), problems,
            fragment.references(), fragment.calls());
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
