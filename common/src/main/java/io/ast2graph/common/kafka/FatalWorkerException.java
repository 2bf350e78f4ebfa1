package io.ast2graph.common.kafka;

/** An error no retry can fix (bad credentials, authorization, an unsupported server): the worker stops. */
public class FatalWorkerException extends RuntimeException {
    public FatalWorkerException(String message, Throwable cause) {
        super(message, cause);
    }
}
