package io.ast2graph.common.model;

import java.util.Objects;

/**
 * Progress of a scan, on the events topic (keyed by scan id). Every stage reports what it finished, so a scan can be
 * watched from any machine: the producer says how many files to expect, parsers say what they parsed, writers say what
 * they committed to Neo4j. Consumers count distinct files: a stage that is replayed reports a file again.
 *
 * @param stage    which stage reports
 * @param status   what happened
 * @param path     the file, empty for scan-level events
 * @param count    for {@link Status#PUBLISHED}: the number of records (files plus deletions) the scan published; for
 *                 {@link Status#STARTED}: the number it is about to publish; 0 otherwise
 * @param detail   an error message, or empty
 * @param lines    lines of the file (parser events), 0 otherwise
 * @param nodes    nodes of the file's fragment (parser and writer events), 0 otherwise
 * @param relationships relationships of the file's fragment (parser and writer events), 0 otherwise
 * @param parseMicros   time to build the file's fragment (parser events), 0 otherwise
 * @param busyMicros    the file's share of the time its worker spent handling the batch it came in (parse, produce,
 *                      write, commit): summed per worker it gives the worker's busy time, wherever the worker runs
 *
 * <p>Events from before these last five fields existed read as 0: the JSON is read leniently both ways.
 */
public record ScanEvent(String scanId, String repo, Stage stage, Status status, String path, long count,
                        String errorType, String detail, long timeMillis, String worker,
                        long lines, long nodes, long relationships, long parseMicros, long busyMicros) {
    /** An event without per-file work figures (scan-level events, failures). */
    public ScanEvent(String scanId, String repo, Stage stage, Status status, String path, long count,
                     String errorType, String detail, long timeMillis, String worker) {
        this(scanId, repo, stage, status, path, count, errorType, detail, timeMillis, worker, 0, 0, 0, 0, 0);
    }

    /**
     * A writer's report that a file's fragment is committed in Neo4j.
     *
     * @param busyMicros the file's share of the time its writer spent on it
     */
    public static ScanEvent written(GraphFragment fragment, String worker, long timeMillis, long busyMicros) {
        Status status = fragment.problems().isEmpty() ? Status.DONE : Status.DONE_WITH_ERRORS;
        return new ScanEvent(fragment.scanId(), fragment.repo(), Stage.WRITER, status, fragment.path(), 0, "", "",
            timeMillis, worker, 0, fragment.nodes().size(), fragment.relationships().size(), 0, busyMicros);
    }

    public ScanEvent {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(status, "status");
        repo = repo == null ? "" : repo;
        path = path == null ? "" : path;
        errorType = errorType == null ? "" : errorType;
        detail = detail == null ? "" : detail;
        worker = worker == null ? "" : worker;
    }

    public enum Stage { PRODUCER, PARSER, WRITER }

    public enum Status {
        /**
         * The producer starts publishing; {@code count} is the number of records it is about to publish (files plus
         * deletions; unreadable files will be left out), or 0 from producers before 0.2.
         */
        STARTED,
        /** The producer published every file; {@code count} is the number of files in the scan. */
        PUBLISHED,
        /** A file was handled (parsed, or committed to Neo4j). */
        DONE,
        /** A file was handled but had problems (e.g. syntax errors): it still reached the next stage. */
        DONE_WITH_ERRORS,
        /** A file could not be handled at all and went to the dead-letter topic. */
        FAILED
    }
}
