package io.ast2graph.producer;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A walked file with the hash of its content, computed once to decide whether it changed and sent with its reference.
 *
 * @param sha256 hex SHA-256 of the file's bytes when it was hashed
 * @param size   the number of bytes hashed
 */
public record DigestedFile(SourceFile file, String sha256, long size) {
    public DigestedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
    }

    public String path() {
        return file.relativePath();
    }

    /**
     * Hashes the files on every core: hashing is the producer's main cost on a rescan (every file is read; few are
     * sent), and both reading and SHA-256 scale with threads.
     *
     * @return the hashed files in the order given, and the files that could not be read
     */
    public static Hashed hashAll(List<SourceFile> files) {
        ThreadLocal<Sha256> digests = ThreadLocal.withInitial(Sha256::new);
        // One slot per file, filled in parallel, read in order: the result keeps the walk's order.
        DigestedFile[] hashed = new DigestedFile[files.size()];
        Skipped[] unreadable = new Skipped[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            SourceFile file = files.get(i);
            try {
                Sha256.FileDigest digest = digests.get().of(file.absolutePath());
                hashed[i] = new DigestedFile(file, digest.sha256(), digest.size());
            } catch (IOException e) {
                unreadable[i] = new Skipped(file.relativePath(), "unreadable: " + SourcePublisher.describe(e));
            }
        });
        return new Hashed(Arrays.stream(hashed).filter(Objects::nonNull).toList(),
            Arrays.stream(unreadable).filter(Objects::nonNull).toList());
    }

    /** What {@link #hashAll} found: the hashed files, and those it could not read (they keep their last graph). */
    public record Hashed(List<DigestedFile> files, List<Skipped> unreadable) {
        public Hashed {
            files = List.copyOf(files);
            unreadable = List.copyOf(unreadable);
        }
    }
}
