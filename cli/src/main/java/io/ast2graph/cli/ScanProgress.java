package io.ast2graph.cli;

import io.ast2graph.common.model.ScanEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The state of one scan, folded from its events: how many records to expect, which files were parsed and written,
 * which failed and why, which parsed slowest, and when it started, last moved and completed. Counts distinct files,
 * because a replayed or retried stage reports a file again. A scan is complete when every published record (file or
 * deletion) is written or failed.
 */
final class ScanProgress {
    /** A file and how long its parser took, in microseconds. */
    record Timed(String path, long micros) {}

    static final int SLOWEST = 10;

    private final String scanId;
    private String repo = "";
    private long announced = -1;
    private long expected = -1;
    private long publishedLocally;
    private long startedMillis = -1;
    private long lastEventMillis = -1;
    private long completedMillis = -1;
    private final Set<String> parsed = new HashSet<>();
    private final Set<String> written = new HashSet<>();
    private final Set<String> withProblems = new HashSet<>();
    private final Map<String, ScanEvent> failed = new LinkedHashMap<>();
    private final Map<String, Integer> errorsByType = new LinkedHashMap<>();
    private final List<ScanEvent> problemExamples = new ArrayList<>();
    /** The slowest parses so far, the fastest of them first, so it is the one to drop. */
    private final PriorityQueue<Timed> slowest = new PriorityQueue<>(Comparator.comparingLong(Timed::micros));

    ScanProgress(String scanId) {
        this.scanId = scanId;
    }

    void accept(ScanEvent event) {
        if (!event.scanId().equals(scanId)) {
            return;
        }
        if (!event.repo().isEmpty()) {
            repo = event.repo();
        }
        lastEventMillis = Math.max(lastEventMillis, event.timeMillis());
        switch (event.stage()) {
            case PRODUCER -> {
                switch (event.status()) {
                    case STARTED -> {
                        startedMillis = event.timeMillis();
                        announced = event.count();
                    }
                    case PUBLISHED -> expected = event.count();
                    default -> { }
                }
            }
            case PARSER -> {
                switch (event.status()) {
                    case DONE -> {
                        parsed.add(event.path());
                        timed(event);
                    }
                    case DONE_WITH_ERRORS -> {
                        timed(event);
                        if (parsed.add(event.path()) && withProblems.add(event.path())) {
                            errorsByType.merge(event.errorType().isEmpty() ? "ParseProblem" : event.errorType(), 1, Integer::sum);
                            if (problemExamples.size() < 10) {
                                problemExamples.add(event);
                            }
                        }
                    }
                    case FAILED -> fail(event);
                    default -> { }
                }
            }
            case WRITER -> {
                switch (event.status()) {
                    case DONE, DONE_WITH_ERRORS -> written.add(event.path());
                    case FAILED -> fail(event);
                    default -> { }
                }
            }
        }
        if (completedMillis < 0 && complete()) {
            completedMillis = event.timeMillis();
        }
    }

    private void timed(ScanEvent event) {
        if (event.parseMicros() <= 0) {
            return;
        }
        // A replayed file is reported twice; it should take one place in the list.
        if (slowest.stream().anyMatch(t -> t.path().equals(event.path()))) {
            return;
        }
        slowest.add(new Timed(event.path(), event.parseMicros()));
        if (slowest.size() > SLOWEST) {
            slowest.poll();
        }
    }

    private void fail(ScanEvent event) {
        if (failed.putIfAbsent(event.path(), event) == null) {
            errorsByType.merge(event.errorType(), 1, Integer::sum);
        }
    }

    /** What this process published so far, before the PUBLISHED event confirms the total. */
    void publishedLocally(long records) {
        publishedLocally = records;
    }

    String scanId() {
        return scanId;
    }

    String repo() {
        return repo;
    }

    /** The records the scan publishes in all, once the producer finished; -1 before. */
    long expected() {
        return expected;
    }

    /** The records to expect: the published total once known, else what the producer announced; -1 if neither. */
    long total() {
        return expected >= 0 ? expected : announced;
    }

    /** The records published: the total once the producer finished, else what this process counted so far. */
    long published() {
        return expected >= 0 ? expected : publishedLocally;
    }

    long parsed() {
        return parsed.size();
    }

    long written() {
        return written.size();
    }

    boolean wasWritten(String path) {
        return written.contains(path);
    }

    long failed() {
        return failed.size();
    }

    long finished() {
        long n = written.size();
        for (String path : failed.keySet()) {
            if (!written.contains(path)) {
                n++;
            }
        }
        return n;
    }

    /** Every record of the scan has been parsed, or failed: nothing more will reach the fragments topic. */
    boolean parsedAll() {
        if (expected < 0) {
            return false;
        }
        long n = parsed.size();
        for (String path : failed.keySet()) {
            if (!parsed.contains(path)) {
                n++;
            }
        }
        return n >= expected;
    }

    boolean complete() {
        return expected >= 0 && finished() >= expected;
    }

    /** When the producer started, by its clock; -1 if its STARTED event was not seen. */
    long startedMillis() {
        return startedMillis;
    }

    long lastEventMillis() {
        return lastEventMillis;
    }

    /** When the last record was finished, by the clock of the worker that reported it; -1 while running. */
    long completedMillis() {
        return completedMillis;
    }

    Map<String, Integer> errorsByType() {
        return errorsByType;
    }

    List<ScanEvent> problemExamples() {
        return problemExamples;
    }

    Map<String, ScanEvent> failures() {
        return failed;
    }

    long filesWithProblems() {
        return withProblems.size();
    }

    /** The slowest files to parse, slowest first. */
    List<Timed> slowest() {
        return slowest.stream().sorted(Comparator.comparingLong(Timed::micros).reversed()).toList();
    }
}
