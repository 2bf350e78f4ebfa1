package io.ast2graph.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the message contracts: records in, records out, unknown fields tolerated for upgrades. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        // A newer producer may add fields; an older worker must still read the message.
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // Integral values of property maps come back as Long, as the Neo4j driver would store them.
        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
        .serializationInclusion(JsonInclude.Include.ALWAYS)
        // Property maps serialize in key order, so the same fragment is the same bytes on every worker.
        .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .build();
    /** The same mapper, its strings taken from the read's {@link StringPool}: apart, so that other reads pay nothing. */
    private static final ObjectMapper POOLED = MAPPER.copy()
        .registerModule(new SimpleModule("string-pool").addDeserializer(String.class, new StringPool.Deserializer()));

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a message; a malformed one throws {@link MalformedMessageException}, which consumers dead-letter. */
    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw malformed(type, e);
        }
    }

    /**
     * Reads a message as {@link #read(byte[], Class)} does, its strings taken from {@code pool}: for many messages
     * held in memory together.
     */
    public static <T> T read(byte[] bytes, Class<T> type, StringPool pool) {
        try {
            return POOLED.readerFor(type).withAttribute(StringPool.class, pool).readValue(bytes);
        } catch (IOException e) {
            throw malformed(type, e);
        }
    }

    private static MalformedMessageException malformed(Class<?> type, IOException e) {
        return new MalformedMessageException("not a valid " + type.getSimpleName() + " message: " + e.getMessage(), e);
    }

    public static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
