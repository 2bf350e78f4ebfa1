package io.ast2graph.cli;

import io.ast2graph.common.model.ScanEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one scan, folded from its events: how many files to expect, which were parsed and written, which
 * failed and why. Counts distinct files, because a replayed or retried stage reports a file again. A scan is
 * complete when every published file is written or failed.
 */
final class ScanProgress {
    private final String scanId;
    private long expected = -1;
    private final Set<String> parsed = new HashSet<>();
    private final Set<String> written = new HashSet<>();
    private final Set<String> withProblems = new HashSet<>();
    private final Map<String, ScanEvent> failed = new LinkedHashMap<>();
    private final Map<String, Integer> errorsByType = new LinkedHashMap<>();
    private final List<ScanEvent> problemExamples = new ArrayList<>();

    ScanProgress(String scanId) {
        this.scanId = scanId;
    }

    void accept(ScanEvent event) {
        if (!event.scanId().equals(scanId)) {
            return;
        }
        switch (event.stage()) {
            case PRODUCER -> {
                if (event.status() == ScanEvent.Status.PUBLISHED) {
                    expected = event.count();
                }
            }
            case PARSER -> {
                switch (event.status()) {
                    case DONE -> parsed.add(event.path());
                    case DONE_WITH_ERRORS -> {
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
    }

    private void fail(ScanEvent event) {
        if (failed.putIfAbsent(event.path(), event) == null) {
            errorsByType.merge(event.errorType(), 1, Integer::sum);
        }
    }

    long expected() {
        return expected;
    }

    long parsed() {
        return parsed.size();
    }

    long written() {
        return written.size();
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

    boolean complete() {
        return expected >= 0 && finished() >= expected;
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
}
