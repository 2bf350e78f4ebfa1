package io.ast2graph.producer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Java source file found by {@link SourceWalker}.
 *
 * @param absolutePath where to read it; through a symbolic link if the walk followed one
 * @param relativePath its path relative to the repository root (see {@link SourceWalker}), with {@code /} separators
 * @param size         its size in bytes when it was walked
 */
public record SourceFile(Path absolutePath, String relativePath, long size) {
    public SourceFile {
        Objects.requireNonNull(absolutePath, "absolutePath");
        Objects.requireNonNull(relativePath, "relativePath");
        if (!absolutePath.isAbsolute()) {
            throw new IllegalArgumentException("absolutePath must be absolute, was " + absolutePath);
        }
        if (relativePath.isEmpty() || relativePath.startsWith("/")) {
            throw new IllegalArgumentException("relativePath must be a non-empty relative path, was '" + relativePath + "'");
        }
    }
}
