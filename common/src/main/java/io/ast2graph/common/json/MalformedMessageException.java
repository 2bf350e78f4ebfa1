package io.ast2graph.common.json;

/** A message that cannot be decoded: a poison record, never worth retrying. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
