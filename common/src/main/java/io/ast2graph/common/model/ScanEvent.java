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
 * @param durationMicros how long the stage took for this file (a parser: reading and parsing it), for finding the
 *                 slowest files; 0 when not measured, and in events of versions before 0.2, which lack the field
 */
public record ScanEvent(String scanId, String repo, Stage stage, Status status, String path, long count,
                        String errorType, String detail, long timeMillis, String worker, long durationMicros) {
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

    /** An event whose duration is not measured. */
    public ScanEvent(String scanId, String repo, Stage stage, Status status, String path, long count,
                     String errorType, String detail, long timeMillis, String worker) {
        this(scanId, repo, stage, status, path, count, errorType, detail, timeMillis, worker, 0);
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
