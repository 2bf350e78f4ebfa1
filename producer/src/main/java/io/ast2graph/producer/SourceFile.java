package io.ast2graph.producer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A Java source file found by {@link SourceWalker}.
 *
 * @param absolutePath where to read it; through a symbolic link if the walk followed one
 * @param relativePath its path relative to the repository root (see {@link SourceWalker}), with {@code /} separators
 * @param size          its size in bytes when it was walked
 * @param modifiedNanos its last-modified time when it was walked, in nanoseconds since the epoch (as precise as the
 *                      file system keeps it), or {@link #UNKNOWN_TIME}
 * @param fileKey       what identifies the file on its file system when it was walked (on Unix its device and inode
 *                      number), or "" if the file system has none; a file replaced by another one gets a new key
 */
public record SourceFile(Path absolutePath, String relativePath, long size, long modifiedNanos, String fileKey) {
    /** A modification time no file has: a file stamped with it is never taken from the {@link HashCache}. */
    public static final long UNKNOWN_TIME = Long.MIN_VALUE;

    /** A file whose modification time and key are not known. */
    public SourceFile(Path absolutePath, String relativePath, long size) {
        this(absolutePath, relativePath, size, UNKNOWN_TIME, "");
    }

    public SourceFile {
        Objects.requireNonNull(fileKey, "fileKey");
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
