package io.ast2graph.producer;

/**
 * Kafka did not take a record of the scan. The scan is incomplete: the message names the record and the cause, and
 * running the scan again is safe, since writers never let an older version of a file overwrite a newer one.
 */
public class PublishException extends RuntimeException {
    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
