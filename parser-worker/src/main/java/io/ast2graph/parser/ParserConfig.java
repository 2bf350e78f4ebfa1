package io.ast2graph.parser;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a parser worker needs, validated once at start-up.
 *
 * @param threads      consume loops in this process, each with its own consumer and JavaParser
 * @param sourceRoot   where reference-mode locations are resolved; empty if this worker only takes inline content
 * @param maxFileBytes files above this size are rejected rather than parsed
 * @param batchFiles   file references handled per batch (their fragments are acknowledged together)
 * @param parseTimeout the longest one file may take to parse; a slower file is dead-lettered
 */
public record ParserConfig(KafkaSettings kafka, Topics topics, String groupId, String groupProtocol, int threads,
                           Optional<Path> sourceRoot, long maxFileBytes, int batchFiles, Duration parseTimeout,
                           String workerId) {
    public static final String DEFAULT_GROUP = "ast2graph-parser";
    /** Generous: java.base's largest files parse in well under a second here. */
    public static final Duration DEFAULT_PARSE_TIMEOUT = Duration.ofSeconds(60);

    public ParserConfig {
        Objects.requireNonNull(kafka);
        Objects.requireNonNull(topics);
        Objects.requireNonNull(sourceRoot);
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--parser-threads must be between 1 and 256, was " + threads);
        }
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("--max-file-bytes must be positive, was " + maxFileBytes);
        }
        if (batchFiles < 1 || batchFiles > 10_000) {
            throw new IllegalArgumentException("--parser-batch must be between 1 and 10000, was " + batchFiles);
        }
        if (parseTimeout.isNegative() || parseTimeout.isZero()) {
            throw new IllegalArgumentException("--parse-timeout must be positive, was " + parseTimeout);
        }
        if (!groupProtocol.equals("consumer") && !groupProtocol.equals("classic")) {
            throw new IllegalArgumentException("--group-protocol must be 'consumer' or 'classic', was '" + groupProtocol + "'");
        }
    }

    public static ParserConfig defaults(KafkaSettings kafka, Topics topics, int threads, Optional<Path> sourceRoot, String workerId) {
        return new ParserConfig(kafka, topics, DEFAULT_GROUP, "consumer", threads, sourceRoot, 4L * 1024 * 1024, 32,
            DEFAULT_PARSE_TIMEOUT, workerId);
    }
}
