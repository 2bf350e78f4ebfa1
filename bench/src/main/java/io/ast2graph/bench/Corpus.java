package io.ast2graph.bench;

import io.ast2graph.producer.SourceWalker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Java files of a benchmark corpus, read into memory once: a JDK src.zip (optionally some modules) or a folder.
 * Files larger than the scan takes by default ({@link SourceWalker#DEFAULT_MAX_FILE_BYTES}, which it skips and
 * reports) are left out here, so that every phase of a benchmark sees the files the scan writes.
 */
record Corpus(String name, List<SourceFile> files) {
    record SourceFile(String path, byte[] bytes) {}

    long bytes() {
        return files.stream().mapToLong(f -> f.bytes().length).sum();
    }

    long lines() {
        long lines = 0;
        for (SourceFile file : files) {
            for (byte b : file.bytes()) {
                if (b == '\n') lines++;
            }
        }
        return lines;
    }

    /** The first {@code count} files (in path order), or all of them if there are fewer. */
    Corpus first(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("--max-files must be at least 1, was " + count);
        }
        return count >= files.size() ? this : new Corpus(name + ", first " + count + " files", files.subList(0, count));
    }

    /** Writes every file under {@code root}, at its path: a tree to scan, or for workers to read in REFERENCE mode. */
    Path writeTo(Path root) throws IOException {
        for (SourceFile file : files) {
            Path target = root.resolve(file.path());
            Files.createDirectories(target.getParent());
            Files.write(target, file.bytes());
        }
        return root;
    }

    static Corpus load(Path source, Set<String> modules) throws IOException {
        List<SourceFile> files = new ArrayList<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    files.add(new SourceFile(source.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p)));
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(source); ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    String name = e.getName();
                    if (e.isDirectory() || !name.endsWith(".java")) continue;
                    String module = name.substring(0, Math.max(0, name.indexOf('/')));
                    if (!modules.isEmpty() && !modules.contains(module)) continue;
                    files.add(new SourceFile(name, zip.readAllBytes()));
                }
            }
        }
        List<SourceFile> tooLarge = files.stream().filter(f -> f.bytes().length > SourceWalker.DEFAULT_MAX_FILE_BYTES)
            .toList();
        if (!tooLarge.isEmpty()) {
            files.removeAll(tooLarge);
            System.out.printf("corpus    left out %d files larger than %d bytes, as the scan's default --max-file-size does: %s%n",
                tooLarge.size(), SourceWalker.DEFAULT_MAX_FILE_BYTES, tooLarge.stream().map(SourceFile::path).toList());
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .java files in " + source + (modules.isEmpty() ? "" : " for modules " + modules));
        }
        files.sort(java.util.Comparator.comparing(SourceFile::path));
        String label = source.getFileName() + (modules.isEmpty() ? "" : " " + String.join(",", modules));
        return new Corpus(label, List.copyOf(files));
    }

    /** The JDK that runs this benchmark: its lib/src.zip. */
    static Path defaultSourceZip() {
        return Path.of(System.getProperty("java.home"), "lib", "src.zip");
    }
}
