package io.ast2graph.common.kafka;

import java.util.List;
import java.util.Objects;

/**
 * The pipeline's topic names, all derived from one prefix so that several pipelines can share a cluster.
 *
 * @param files        file references, producer → parser workers
 * @param fragments    graph fragments, parser workers → writer workers; compacted, so it keeps the latest fragment of
 *                     every file and the graph can be rebuilt from it alone
 * @param events       scan progress reported by every stage (see {@code ScanEvent})
 * @param filesDlq     file references a parser could not handle, with an error envelope in the headers
 * @param fragmentsDlq fragments a writer could not write, with an error envelope in the headers
 * @param manifest     per file, what the last completed scan published (see {@code ManifestEntry}); compacted, read
 *                     by the next scan of the repository to publish only what changed
 */
public record Topics(String files, String fragments, String events, String filesDlq, String fragmentsDlq,
                     String manifest) {
    public static final String DEFAULT_PREFIX = "ast2graph";

    public Topics {
        Objects.requireNonNull(files);
        Objects.requireNonNull(fragments);
        Objects.requireNonNull(events);
        Objects.requireNonNull(filesDlq);
        Objects.requireNonNull(fragmentsDlq);
        Objects.requireNonNull(manifest);
    }

    public static Topics withPrefix(String prefix) {
        if (prefix == null || prefix.isBlank() || !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--topic-prefix must be letters, digits, '.', '_' or '-', was '" + prefix + "'");
        }
        return new Topics(prefix + ".files", prefix + ".fragments", prefix + ".events",
            prefix + ".files.dlq", prefix + ".fragments.dlq", prefix + ".manifest");
    }

    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    public List<String> all() {
        return List.of(files, fragments, events, filesDlq, fragmentsDlq, manifest);
    }
}
