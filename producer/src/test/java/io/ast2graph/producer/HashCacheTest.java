package io.ast2graph.producer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HashCacheTest {
    @TempDir
    Path root;
    @TempDir
    Path dataDir;

    private final SourceWalker walker = new SourceWalker(SourceWalker.Settings.defaults());

    @Test
    void aFileUnchangedSinceItWasHashedIsNotReadAgain() throws IOException {
        writeOld("src/A.java", "class A {}");
        writeOld("src/B.java", "class B {}");
        Path cacheFile = dataDir.resolve("hash-cache/repo.bin");
        Instant walkStarted = Instant.now();
        var first = DigestedFile.hashAll(walker.walk(root).files(), HashCache.load(cacheFile));
        assertThat(first.fromCache()).isZero();
        assertThat(HashCache.load(cacheFile).save(first.files(), walkStarted, path -> false)).isEqualTo(2);

        // Rewritten in place with the same size, inode and (set back) time: the one change a stat cannot see, so
        // the old hash coming back proves the cache answered and the file was not read.
        Path b = root.resolve("src/B.java");
        FileTime time = Files.getLastModifiedTime(b);
        Files.writeString(b, "class C {}");
        Files.setLastModifiedTime(b, time);
        var second = DigestedFile.hashAll(walker.walk(root).files(), HashCache.load(cacheFile));

        assertThat(second.fromCache()).isEqualTo(2);
        assertThat(second.files()).isEqualTo(first.files());
        assertThat(DigestedFile.hashAll(walker.walk(root).files(), null).files().get(1).sha256())
            .as("without the cache the new content is hashed").isEqualTo(new Sha256().of("class C {}".getBytes()));
    }

    @Test
    void aChangedSizeTimeOrInodeMissesTheCache() throws IOException {
        writeOld("Size.java", "class Size {}");
        writeOld("Time.java", "class Time {}");
        writeOld("Inode.java", "class Inode {}");
        writeOld("Same.java", "class Same {}");
        Path cacheFile = dataDir.resolve("c.bin");
        var first = DigestedFile.hashAll(walker.walk(root).files(), HashCache.empty(cacheFile));
        HashCache.empty(cacheFile).save(first.files(), Instant.now(), path -> false);

        writeOld("Size.java", "class Size { int more; }");
        Files.setLastModifiedTime(root.resolve("Time.java"), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        // Replaced by another file with the same size and time, as an editor saving through a rename does.
        FileTime inodeTime = Files.getLastModifiedTime(root.resolve("Inode.java"));
        Path replacement = root.resolve("Inode.java.tmp");
        Files.writeString(replacement, "class Inodf {}");
        Files.setLastModifiedTime(replacement, inodeTime);
        Files.move(replacement, root.resolve("Inode.java"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        var second = DigestedFile.hashAll(walker.walk(root).files(), HashCache.load(cacheFile));

        assertThat(second.fromCache()).isEqualTo(1);
        assertThat(second.files()).filteredOn(f -> f.path().equals("Inode.java")).singleElement()
            .extracting(DigestedFile::sha256).isEqualTo(new Sha256().of("class Inodf {}".getBytes()));
        assertThat(second.files()).filteredOn(f -> f.path().equals("Size.java")).singleElement()
            .extracting(DigestedFile::sha256).isEqualTo(new Sha256().of("class Size { int more; }".getBytes()));
    }

    /** Racy git: a write right after the hash, within the time stamp's granularity, leaves size and time as they were. */
    @Test
    void aFileModifiedJustBeforeTheWalkIsHashedAgainNextTime() throws IOException {
        Path file = root.resolve("Racy.java");
        Files.writeString(file, "class Racy { int a; }");
        Instant walkStarted = Instant.now();
        var first = DigestedFile.hashAll(walker.walk(root).files(), HashCache.empty(dataDir.resolve("c.bin")));
        assertThat(HashCache.empty(dataDir.resolve("c.bin")).save(first.files(), walkStarted, path -> false)).isZero();

        // Same size, and the time set back to what the hashed version had: only the content tells them apart.
        FileTime hashedTime = Files.getLastModifiedTime(file);
        Files.writeString(file, "class Racy { int b; }");
        Files.setLastModifiedTime(file, hashedTime);
        var second = DigestedFile.hashAll(walker.walk(root).files(), HashCache.load(dataDir.resolve("c.bin")));

        assertThat(second.fromCache()).isZero();
        assertThat(second.files().getFirst().sha256()).isEqualTo(new Sha256().of("class Racy { int b; }".getBytes()));
    }

    @Test
    void entriesOfFilesNotSeenAreKeptOnlyIfAsked() throws IOException {
        writeOld("app/A.java", "class A {}");
        writeOld("lib/L.java", "class L {}");
        Path cacheFile = dataDir.resolve("c.bin");
        var all = DigestedFile.hashAll(walker.walk(root).files(), null);
        HashCache.empty(cacheFile).save(all.files(), Instant.now(), path -> false);

        // A scan of app/ alone keeps lib/'s entries: lib/ was not scanned, its files are not gone.
        var app = DigestedFile.hashAll(walker.walk(root, List.of(root.resolve("app"))).files(), HashCache.load(cacheFile));
        assertThat(HashCache.load(cacheFile).save(app.files(), Instant.now(), path -> !path.startsWith("app/"))).isEqualTo(2);
        assertThat(HashCache.load(cacheFile).save(app.files(), Instant.now(), path -> false)).isEqualTo(1);
        assertThat(HashCache.load(cacheFile).size()).isEqualTo(1);
    }

    @Test
    void aDamagedCacheIsIgnoredAndEveryFileHashed() throws IOException {
        writeOld("A.java", "class A {}");
        Path cacheFile = dataDir.resolve("c.bin");
        var all = DigestedFile.hashAll(walker.walk(root).files(), null);
        HashCache.empty(cacheFile).save(all.files(), Instant.now(), path -> false);
        byte[] saved = Files.readAllBytes(cacheFile);
        Files.write(cacheFile, java.util.Arrays.copyOf(saved, saved.length - 5));

        HashCache damaged = HashCache.load(cacheFile);

        assertThat(damaged.size()).isZero();
        assertThat(DigestedFile.hashAll(walker.walk(root).files(), damaged).fromCache()).isZero();
        Files.writeString(cacheFile, "not a cache");
        assertThat(HashCache.load(cacheFile).size()).isZero();
    }

    /** Writes a file last modified an hour ago, as a checkout some time before the scan leaves it. */
    private void writeOld(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    }
}
