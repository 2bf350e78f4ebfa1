package io.ast2graph.writer;

import io.ast2graph.common.kafka.KafkaSettings;
import io.ast2graph.common.kafka.Topics;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a writer worker needs, validated once at start-up.
 *
 * @param threads          consume loops in this process, each with its own consumer and Neo4j session
 * @param initialBatchRows the first batch size in rows (nodes + relationships); it then adapts to commit latency
 * @param maxBatchBytes    bytes of fragments that make a batch full whatever its rows
 * @param linger           how long a partial batch waits for more fragments
 * @param maxRetryTime     how long the driver retries a transaction on transient errors before the batch is paused
 * @param rewriteUnchanged write a fragment again even when the graph holds its file with the same content (a replay
 *                         that repairs a graph changed by hand); by default such a fragment is skipped
 */
public record WriterConfig(KafkaSettings kafka, Topics topics, Neo4jSettings neo4j, String groupId, String groupProtocol,
                           int threads, int initialBatchRows, long maxBatchBytes, Duration linger, Duration maxRetryTime,
                           String workerId, boolean rewriteUnchanged) {
    public WriterConfig {
        Objects.requireNonNull(kafka);
        Objects.requireNonNull(topics);
        Objects.requireNonNull(neo4j);
        Objects.requireNonNull(groupId);
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("--writer-threads must be between 1 and 64, was " + threads);
        }
        if (initialBatchRows < 50 || initialBatchRows > 100_000) {
            throw new IllegalArgumentException("--batch-rows must be between 50 and 100000, was " + initialBatchRows);
        }
        if (!groupProtocol.equals("consumer") && !groupProtocol.equals("classic")) {
            throw new IllegalArgumentException("--group-protocol must be 'consumer' or 'classic', was '" + groupProtocol + "'");
        }
    }

    /** A writer that skips the fragments of unchanged files. */
    public WriterConfig(KafkaSettings kafka, Topics topics, Neo4jSettings neo4j, String groupId, String groupProtocol,
                        int threads, int initialBatchRows, long maxBatchBytes, Duration linger, Duration maxRetryTime,
                        String workerId) {
        this(kafka, topics, neo4j, groupId, groupProtocol, threads, initialBatchRows, maxBatchBytes, linger, maxRetryTime,
            workerId, false);
    }

    public static final String DEFAULT_GROUP = "ast2graph-writer";

    public static WriterConfig defaults(KafkaSettings kafka, Topics topics, Neo4jSettings neo4j, int threads, String workerId) {
        return new WriterConfig(kafka, topics, neo4j, DEFAULT_GROUP, "consumer", threads, 1000, 16L * 1024 * 1024,
            Duration.ofMillis(200), Duration.ofSeconds(30), workerId);
    }
}
