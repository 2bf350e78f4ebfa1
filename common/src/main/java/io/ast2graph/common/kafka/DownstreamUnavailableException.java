package io.ast2graph.common.kafka;

/**
 * The stage's output (Kafka for parsers, Neo4j for writers) cannot take the batch right now. The consume loop pauses
 * its partitions, keeps polling so the group keeps it, and retries the same batch with backoff; nothing is committed
 * meanwhile, so nothing is lost.
 */
public class DownstreamUnavailableException extends Exception {
    public DownstreamUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
