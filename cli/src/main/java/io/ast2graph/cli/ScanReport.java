package io.ast2graph.cli;

import io.ast2graph.common.model.ScanEvent;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-scan report, folded from the scan's events: everything in it comes from what the workers reported, so it
 * is the same whether the workers ran in this process or on other machines. Like {@link ScanProgress} it counts each
 * file once, whatever a replayed stage reports again (the last report of a file wins).
 *
 * <p>Worker efficiency is a worker's busy time (the time its handler spent on batches, which each worker measures and
 * reports per file) over the stage's wall time (from the scan's start to the stage's last report): a parser at 0.3
 * waited for input most of the time, a writer at 0.95 is the bottleneck.
 */
final class ScanReport {
    static final int SLOWEST_FILES = 10;
    static final int EXAMPLES_PER_ERROR = 5;

    private final String scanId;
    private long startMillis = -1;
    private long publishedMillis = -1;
    private long published = -1;
    private final Map<String, ScanEvent> parsed = new HashMap<>();
    private final Map<String, ScanEvent> written = new HashMap<>();
    private final Map<String, ScanEvent> failed = new LinkedHashMap<>();
    private final Map<ScanEvent.Stage, Long> lastEventMillis = new HashMap<>();

    ScanReport(String scanId) {
        this.scanId = scanId;
    }

    void accept(ScanEvent event) {
        if (!event.scanId().equals(scanId)) {
            return;
        }
        lastEventMillis.merge(event.stage(), event.timeMillis(), Math::max);
        switch (event.stage()) {
            case PRODUCER -> {
                if (event.status() == ScanEvent.Status.STARTED) {
                    startMillis = event.timeMillis();
                } else if (event.status() == ScanEvent.Status.PUBLISHED) {
                    published = event.count();
                    publishedMillis = event.timeMillis();
                }
            }
            case PARSER, WRITER -> {
                if (event.status() == ScanEvent.Status.FAILED) {
                    failed.putIfAbsent(event.stage() + ":" + event.path(), event);
                } else if (event.status() == ScanEvent.Status.DONE || event.status() == ScanEvent.Status.DONE_WITH_ERRORS) {
                    (event.stage() == ScanEvent.Stage.PARSER ? parsed : written).put(event.path(), event);
                }
            }
        }
    }

    /**
     * The report as of now.
     *
     * @param repo      the scanned repository
     * @param skipped   files the walk or the publisher left out
     * @param startup   time to start embedded servers before the scan, zero when there were none
     * @param endMillis when the scan ended, on the same clock as the events' times
     */
    Report build(String repo, long skipped, long startupMillis, long endMillis) {
        long start = startMillis >= 0 ? startMillis : endMillis;
        double totalSeconds = seconds(endMillis - start);
        long lines = parsed.values().stream().mapToLong(ScanEvent::lines).sum();
        long nodes = written.values().stream().mapToLong(ScanEvent::nodes).sum();
        long relationships = written.values().stream().mapToLong(ScanEvent::relationships).sum();

        List<Long> parseMicros = parsed.values().stream().map(ScanEvent::parseMicros).sorted().toList();
        var parseTime = new ParseTime(millis(percentile(parseMicros, 50)), millis(percentile(parseMicros, 99)),
            millis(parseMicros.isEmpty() ? 0 : parseMicros.getLast()),
            millis((long) parseMicros.stream().mapToLong(Long::longValue).average().orElse(0)));

        var stages = new LinkedHashMap<String, StageTime>();
        stages.put("publish", new StageTime(seconds(publishedMillis >= 0 ? publishedMillis - start : 0), 0));
        stages.put("parse", new StageTime(stageWallSeconds(ScanEvent.Stage.PARSER, start), busySeconds(parsed.values())));
        stages.put("write", new StageTime(stageWallSeconds(ScanEvent.Stage.WRITER, start), busySeconds(written.values())));

        List<WorkerTime> workers = new ArrayList<>();
        addWorkers(workers, "parser", parsed.values(), stageWallSeconds(ScanEvent.Stage.PARSER, start));
        addWorkers(workers, "writer", written.values(), stageWallSeconds(ScanEvent.Stage.WRITER, start));

        List<SlowFile> slowest = parsed.values().stream()
            .sorted(Comparator.comparingLong(ScanEvent::parseMicros).reversed()).limit(SLOWEST_FILES)
            .map(e -> new SlowFile(e.path(), millis(e.parseMicros()), e.lines())).toList();

        long withProblems = parsed.values().stream().filter(e -> e.status() == ScanEvent.Status.DONE_WITH_ERRORS).count();
        List<ErrorType> errors = errors();
        double perSecond = Math.max(totalSeconds, 0.001);
        return new Report(scanId, repo,
            new Files(Math.max(published, 0), parsed.size(), written.size(), withProblems, failedFiles(), skipped),
            lines, nodes, relationships, -1, -1, totalSeconds, seconds(startupMillis), stages,
            new Throughput(round(written.size() / perSecond), round(lines / perSecond),
                round((nodes + relationships) / perSecond)),
            parseTime, workers, slowest, errors);
    }

    private long failedFiles() {
        return failed.values().stream().map(ScanEvent::path).filter(path -> !written.containsKey(path)).distinct().count();
    }

    private List<ErrorType> errors() {
        Map<String, List<ScanEvent>> byType = new TreeMap<>();
        parsed.values().stream().filter(e -> e.status() == ScanEvent.Status.DONE_WITH_ERRORS)
            .sorted(Comparator.comparing(ScanEvent::path))
            .forEach(e -> byType.computeIfAbsent(e.errorType().isEmpty() ? "ParseProblem" : e.errorType(), t -> new ArrayList<>()).add(e));
        failed.values().forEach(e -> byType.computeIfAbsent(e.errorType(), t -> new ArrayList<>()).add(e));
        return byType.entrySet().stream().map(entry -> new ErrorType(entry.getKey(), entry.getValue().size(),
            entry.getValue().stream().limit(EXAMPLES_PER_ERROR)
                .map(e -> new ErrorExample(e.path(), e.stage().name().toLowerCase(), e.detail())).toList())).toList();
    }

    private double stageWallSeconds(ScanEvent.Stage stage, long start) {
        Long last = lastEventMillis.get(stage);
        return last == null ? 0 : seconds(last - start);
    }

    private static void addWorkers(List<WorkerTime> into, String stage, Iterable<ScanEvent> events, double wallSeconds) {
        Map<String, long[]> byWorker = new TreeMap<>();
        for (ScanEvent e : events) {
            long[] filesAndBusy = byWorker.computeIfAbsent(e.worker(), w -> new long[2]);
            filesAndBusy[0]++;
            filesAndBusy[1] += e.busyMicros();
        }
        byWorker.forEach((worker, filesAndBusy) -> {
            double busy = filesAndBusy[1] / 1e6;
            into.add(new WorkerTime(worker, stage, filesAndBusy[0], round(busy), round(wallSeconds),
                wallSeconds > 0 ? round(Math.min(1.0, busy / wallSeconds)) : 0));
        });
    }

    private static double busySeconds(Iterable<ScanEvent> events) {
        long micros = 0;
        for (ScanEvent e : events) {
            micros += e.busyMicros();
        }
        return round(micros / 1e6);
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static double millis(long micros) {
        return round(micros / 1000.0);
    }

    private static double seconds(long millis) {
        return round(Math.max(0, millis) / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * The report, as written to {@code --report FILE} (JSON) and printed. Times in seconds unless named millis.
     *
     * @param nodes              node rows the writers merged for this scan's files (a package node shared by many
     *                           files counts once per file)
     * @param relationships      relationship rows the writers merged for this scan's files
     * @param graphNodes         nodes in the whole database after the scan; -1 when it could not be asked
     * @param graphRelationships relationships in the whole database after the scan; -1 when it could not be asked
     */
    record Report(String scanId, String repo, Files files, long lines, long nodes, long relationships,
                  long graphNodes, long graphRelationships, double totalSeconds, double startupSeconds, Map<String, StageTime> stages, Throughput throughput,
                  ParseTime parseMillis, List<WorkerTime> workers, List<SlowFile> slowestFiles, List<ErrorType> errors) {

        Report withGraph(long nodesInGraph, long relationshipsInGraph) {
            return new Report(scanId, repo, files, lines, nodes, relationships, nodesInGraph, relationshipsInGraph,
                totalSeconds, startupSeconds, stages, throughput, parseMillis, workers, slowestFiles, errors);
        }

        void print(PrintStream out) {
            out.printf("  size       %d lines, %d nodes and %d relationships written%n", lines, nodes, relationships);
            out.printf("  rate       %.1f files/s, %.0f lines/s, %.0f rows/s%n",
                throughput.filesPerSecond(), throughput.linesPerSecond(), throughput.rowsPerSecond());
            out.printf("  stages     publish %.1f s; parse %.1f s (busy %.1f s); write %.1f s (busy %.1f s)%n",
                stages.get("publish").wallSeconds(), stages.get("parse").wallSeconds(), stages.get("parse").busySeconds(),
                stages.get("write").wallSeconds(), stages.get("write").busySeconds());
            out.printf("  parse      p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                parseMillis.p50(), parseMillis.p99(), parseMillis.max());
            for (WorkerTime worker : workers) {
                out.printf("  worker     %-28s %5d files, busy %6.1f s of %6.1f s (%.0f%%)%n", worker.worker(),
                    worker.files(), worker.busySeconds(), worker.totalSeconds(), worker.efficiency() * 100);
            }
            slowestFiles.stream().limit(5).forEach(file ->
                out.printf("  slowest    %s: %.1f ms, %d lines%n", file.path(), file.parseMillis(), file.lines()));
        }
    }

    record Files(long published, long parsed, long written, long withProblems, long failed, long skipped) {}

    /** A stage's wall time (scan start to its last report) and the busy time of all its workers together. */
    record StageTime(double wallSeconds, double busySeconds) {}

    record Throughput(double filesPerSecond, double linesPerSecond, double rowsPerSecond) {}

    record ParseTime(double p50, double p99, double max, double mean) {}

    record WorkerTime(String worker, String stage, long files, double busySeconds, double totalSeconds, double efficiency) {}

    record SlowFile(String path, double parseMillis, long lines) {}

    record ErrorType(String type, long count, List<ErrorExample> examples) {}

    record ErrorExample(String path, String stage, String detail) {}
}
