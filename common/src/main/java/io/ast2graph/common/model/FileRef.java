package io.ast2graph.common.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Objects;

/**
 * One source file to parse: the message on the files topic, keyed by {@link FileKey#of(String, String)}.
 *
 * @param scanId  the scan that published it; progress and reports are counted per scan
 * @param repo    the repository name (a scan may cover several roots of one repo)
 * @param path    the path relative to the repository root, with {@code /} separators, never absolute
 * @param sha256  hex SHA-256 of the file's bytes, so a worker can verify what it read
 * @param size    the file's size in bytes
 * @param version a number that grows with every publication of this file (the producer's clock); the writer
 *                never lets an older version overwrite a newer one
 * @param content where the bytes are: inline in the message, or a path under the root the workers mount
 */
public record FileRef(String scanId, String repo, String path, String sha256, long size, long version, Content content) {

    public FileRef {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(content, "content");
    }

    public String key() {
        return FileKey.of(repo, path);
    }

    /** Where a worker finds a file's bytes. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "mode")
    @JsonSubTypes({
        @JsonSubTypes.Type(value = Inline.class, name = "inline"),
        @JsonSubTypes.Type(value = Reference.class, name = "reference"),
        @JsonSubTypes.Type(value = Deleted.class, name = "deleted"),
    })
    public sealed interface Content permits Inline, Reference, Deleted {}

    /** The bytes travel in the message; the topic's compression shrinks them on the wire. */
    public record Inline(byte[] bytes) implements Content {
        public Inline {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * The bytes stay on a volume the workers mount: {@code location} is relative to the worker's configured source
     * root. Workers must reject a location that escapes that root.
     */
    public record Reference(String location) implements Content {
        public Reference {
            Objects.requireNonNull(location, "location");
        }
    }

    /** The file is gone since the last scan: its subgraph is to be removed. */
    public record Deleted() implements Content {}
}
