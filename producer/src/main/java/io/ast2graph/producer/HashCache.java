package io.ast2graph.producer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * This machine's memory of the content hashes it computed, keyed by what a {@code stat} of the file returns, as git's
 * index keeps them: a file whose size, modification time (in nanoseconds) and file key (device and inode) are those it
 * had when it was hashed is taken to have the same content, and is not read again. So a rescan of an unchanged tree
 * reads no file; only the walk's {@code stat} calls remain.
 *
 * <p><b>Racily clean files.</b> A write within the file system's timestamp granularity after the hash may leave the
 * size and the modification time as they were (git's "racy git" problem). So an entry is only kept when the file's
 * modification time lies at least {@link #RACY_MARGIN} before the walk that took its {@code stat} started: any later
 * write stamps the file with a time after that, which then differs from the entry. A file modified just before the
 * scan is hashed again at the next scan, which then keeps it. The margin covers file systems that keep whole seconds
 * or two (FAT) and the kernel's coarse clock; not a network file system whose server clock is off by more than that.
 * What a {@code stat} cannot show is not seen either: content rewritten in place with the same size and the old
 * modification time set back explicitly. {@code scan --full} hashes every file again.
 *
 * <p>The cache is one file per repository checkout, written whole to a temporary file and moved into place, so a
 * reader sees an old or a new cache, never half of one; of two scans saving at once, the last one wins, and either's
 * entries are correct since each is checked against the file's {@code stat} when used. An unreadable cache is
 * ignored (every file is hashed). Instances are immutable once loaded and may be shared by hashing threads.
 */
public final class HashCache {
    private static final Logger log = LoggerFactory.getLogger(HashCache.class);

    /** How long before the walk a file must have been modified last for its hash to be kept. */
    public static final Duration RACY_MARGIN = Duration.ofSeconds(3);

    private static final int MAGIC = 0x41324748; // "A2GH"
    private static final int FORMAT = 1;
    private static final int SHA256_BYTES = 32;
    /** DataOutput.writeUTF takes at most 65535 bytes; a char is at most three of them. */
    private static final int MAX_PATH_CHARS = 65535 / 3;
    private static final HexFormat HEX = HexFormat.of();

    /** What a file's stat was when it had the content of {@code sha256}. */
    private record Entry(long size, long modifiedNanos, String fileKey, byte[] sha256) {}

    private final Path file;
    private final Map<String, Entry> entries;

    private HashCache(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** A cache that knows nothing yet and will be saved to {@code file}: every lookup misses. */
    public static HashCache empty(Path file) {
        return new HashCache(Objects.requireNonNull(file, "file"), Map.of());
    }

    /**
     * Reads the cache saved in {@code file}. A missing file is an empty cache; so is one that cannot be read or is
     * not a cache, with a warning: the scan then hashes every file, which is slower but never wrong.
     */
    public static HashCache load(Path file) {
        Objects.requireNonNull(file, "file");
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                log.warn("{} is not a hash cache of this version; every file is hashed again", file);
                return empty(file);
            }
            int count = in.readInt();
            Map<String, Entry> entries = HashMap.newHashMap(Math.max(count, 0));
            for (int i = 0; i < count; i++) {
                String path = in.readUTF();
                long size = in.readLong();
                long modified = in.readLong();
                String key = in.readUTF();
                byte[] sha = in.readNBytes(SHA256_BYTES);
                if (sha.length != SHA256_BYTES) {
                    throw new IOException("the file ends inside entry " + i + " of " + count);
                }
                entries.put(path, new Entry(size, modified, key, sha));
            }
            return new HashCache(file, entries);
        } catch (NoSuchFileException e) {
            return empty(file);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the hash cache {} ({}); every file is hashed again", file, e.toString());
            return empty(file);
        }
    }

    /** The number of files the cache knows. */
    public int size() {
        return entries.size();
    }

    /** The hash of the file's content, if the file's stat is the one it had when the cache learned the hash. */
    public Optional<String> lookup(SourceFile source) {
        Entry entry = entries.get(source.relativePath());
        if (entry == null || source.modifiedNanos() == SourceFile.UNKNOWN_TIME || entry.size() != source.size()
            || entry.modifiedNanos() != source.modifiedNanos() || !entry.fileKey().equals(source.fileKey())) {
            return Optional.empty();
        }
        return Optional.of(HEX.formatHex(entry.sha256()));
    }

    /**
     * Replaces the saved cache with the hashes of {@code hashed}, leaving out every racily clean file (see the class
     * comment), and the entries of files this scan did not see that {@code keepUnseen} accepts (files outside the
     * folders scanned, say); other entries are forgotten.
     *
     * @param walkStarted when the walk that took the files' stats started, by this machine's clock
     * @return the number of entries saved
     * @throws IOException if the cache cannot be written; the old one, if any, stays
     */
    public int save(List<DigestedFile> hashed, Instant walkStarted, Predicate<String> keepUnseen) throws IOException {
        long trustedBefore = ChronoUnit.NANOS.between(Instant.EPOCH, walkStarted.minus(RACY_MARGIN));
        Map<String, Entry> next = HashMap.newHashMap(hashed.size());
        for (DigestedFile digested : hashed) {
            SourceFile source = digested.file();
            // The hashed size equals the walked one unless the file changed in between: then its next stat differs too.
            if (source.modifiedNanos() != SourceFile.UNKNOWN_TIME && source.modifiedNanos() < trustedBefore
                && digested.size() == source.size() && source.relativePath().length() <= MAX_PATH_CHARS
                && source.fileKey().length() <= MAX_PATH_CHARS) {
                next.put(source.relativePath(),
                    new Entry(source.size(), source.modifiedNanos(), source.fileKey(), HEX.parseHex(digested.sha256())));
            }
        }
        Map<String, Boolean> seen = HashMap.newHashMap(hashed.size());
        hashed.forEach(d -> seen.put(d.path(), Boolean.TRUE));
        entries.forEach((path, entry) -> {
            if (!seen.containsKey(path) && keepUnseen.test(path)) {
                next.putIfAbsent(path, entry);
            }
        });
        write(next);
        return next.size();
    }

    private void write(Map<String, Entry> next) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeInt(next.size());
                for (var e : next.entrySet()) {
                    Entry entry = e.getValue();
                    out.writeUTF(e.getKey());
                    out.writeLong(entry.size());
                    out.writeLong(entry.modifiedNanos());
                    out.writeUTF(entry.fileKey());
                    out.write(entry.sha256());
                }
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
