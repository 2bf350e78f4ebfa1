package io.ast2graph.common.model;

import java.util.Objects;

/**
 * What the graph holds for one file after the last completed scan that published it: the message on the compacted
 * manifest topic, keyed by {@link FileKey#of(String, String)}. A rescan compares each file's content with its entry
 * and publishes only what changed. A deleted file's entry is a Kafka tombstone (null value) whose version travels in
 * a header, so compaction eventually forgets the file.
 *
 * @param sha256  hex SHA-256 of the content that scan published
 * @param version the version that scan published it with; of two entries for a file, the higher version holds
 * @param scanId  the scan that published it, for the curious
 */
public record ManifestEntry(String repo, String path, String sha256, long version, String scanId) {
    public ManifestEntry {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        scanId = scanId == null ? "" : scanId;
    }

    public String key() {
        return FileKey.of(repo, path);
    }
}
