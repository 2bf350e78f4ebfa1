package io.ast2graph.producer;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Hashes every file; see {@link #hashAll(List, HashCache)}. */
    public static Hashed hashAll(List<SourceFile> files) {
        return hashAll(files, null);
    }

    /**
     * Hashes the files on every core, except those whose hash {@code cache} knows for their current stat: reading
     * and hashing is the producer's main cost on a rescan without a cache (every file is read; few are sent), and
     * both scale with threads.
     *
     * <p>SHA-256 rather than a faster digest: the parsers put the SHA-256 of what they parsed on the File node, the
     * writers skip a fragment whose hash the graph already holds, and the manifest is shared by every machine that
     * scans, so one digest serves everywhere. With the CPU's SHA extensions the JDK's SHA-256 runs at over 1 GB/s per
     * core, so reading the files costs as much as hashing them (docs/benchmarks.md, "Producer").
     *
     * @param cache the hashes known from earlier scans of this machine, or null to hash every file
     * @return the hashed files in the order given, and the files that could not be read
     */
    public static Hashed hashAll(List<SourceFile> files, HashCache cache) {
        ThreadLocal<Sha256> digests = ThreadLocal.withInitial(Sha256::new);
        // One slot per file, filled in parallel, read in order: the result keeps the walk's order.
        DigestedFile[] hashed = new DigestedFile[files.size()];
        Skipped[] unreadable = new Skipped[files.size()];
        var fromCache = new AtomicInteger();
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            SourceFile file = files.get(i);
            Optional<String> known = cache == null ? Optional.empty() : cache.lookup(file);
            if (known.isPresent()) {
                hashed[i] = new DigestedFile(file, known.get(), file.size());
                fromCache.incrementAndGet();
                return;
            }
            try {
                Sha256.FileDigest digest = digests.get().of(file.absolutePath());
                hashed[i] = new DigestedFile(file, digest.sha256(), digest.size());
            } catch (IOException e) {
                unreadable[i] = new Skipped(file.relativePath(), "unreadable: " + SourcePublisher.describe(e));
            }
        });
        return new Hashed(Arrays.stream(hashed).filter(Objects::nonNull).toList(),
            Arrays.stream(unreadable).filter(Objects::nonNull).toList(), fromCache.get());
    }

    /**
     * What {@link #hashAll} found: the hashed files, those it could not read (they keep their last graph), and how
     * many hashes came from the cache instead of the file's bytes.
     */
    public record Hashed(List<DigestedFile> files, List<Skipped> unreadable, int fromCache) {
        public Hashed {
            files = List.copyOf(files);
            unreadable = List.copyOf(unreadable);
        }
    }
}
