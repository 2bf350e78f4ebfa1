package io.ast2graph.common.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Why a record went to a dead-letter topic, carried in the record's headers next to its original key and value (as
 * Kafka Connect does), so that the record can be sent back unchanged once the cause is fixed.
 */
public record ErrorEnvelope(String errorType, String message, String stackTrace, String originTopic,
                            int originPartition, long originOffset, String worker, Instant time) {
    public static final String PREFIX = "ast2graph.error.";
    private static final int MAX_STACK_CHARS = 16 * 1024;

    public static ErrorEnvelope of(Throwable error, String originTopic, int originPartition, long originOffset,
                                   String worker, Instant time) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        String stack = trace.toString();
        if (stack.length() > MAX_STACK_CHARS) {
            stack = stack.substring(0, MAX_STACK_CHARS) + "\n\t... (truncated)";
        }
        return new ErrorEnvelope(error.getClass().getName(), String.valueOf(error.getMessage()), stack,
            originTopic, originPartition, originOffset, worker, time);
    }

    public void writeTo(Headers headers) {
        put(headers, "type", errorType);
        put(headers, "message", message);
        put(headers, "stacktrace", stackTrace);
        put(headers, "origin.topic", originTopic);
        put(headers, "origin.partition", String.valueOf(originPartition));
        put(headers, "origin.offset", String.valueOf(originOffset));
        put(headers, "worker", worker);
        put(headers, "time", time.toString());
    }

    public static ErrorEnvelope readFrom(Headers headers) {
        return new ErrorEnvelope(get(headers, "type"), get(headers, "message"), get(headers, "stacktrace"),
            get(headers, "origin.topic"), Integer.parseInt(getOr(headers, "origin.partition", "-1")),
            Long.parseLong(getOr(headers, "origin.offset", "-1")), get(headers, "worker"),
            Instant.parse(getOr(headers, "time", Instant.EPOCH.toString())));
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(PREFIX + name);
        headers.add(PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(Headers headers, String name) {
        return getOr(headers, name, "");
    }

    private static String getOr(Headers headers, String name, String fallback) {
        Header header = headers.lastHeader(PREFIX + name);
        return header == null ? fallback : new String(header.value(), StandardCharsets.UTF_8);
    }
}
