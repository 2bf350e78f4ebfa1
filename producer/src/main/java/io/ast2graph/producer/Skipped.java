package io.ast2graph.producer;

import java.util.Objects;

/**
 * A file the scan left out, and why, so that the user sees it in the scan's report instead of wondering where it went.
 *
 * @param relativePath the file's path relative to the repository root, with {@code /} separators
 * @param reason       a sentence a user can act on, e.g. "larger than 4194304 bytes (5000000 bytes)"
 */
public record Skipped(String relativePath, String reason) {
    public Skipped {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(reason, "reason");
    }
}
