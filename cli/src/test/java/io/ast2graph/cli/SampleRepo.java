package io.ast2graph.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The small tree of real Java files the end-to-end tests scan, copied to a temporary folder. */
final class SampleRepo {
    private SampleRepo() {}

    /** Copies the sample into {@code target} and adds a file its .gitignore excludes (git would not keep it). */
    static Path copyTo(Path target) {
        try {
            Path source = Path.of(SampleRepo.class.getResource("/sample-repo").toURI());
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(file, copy);
                    }
                }
            }
            Path ignored = target.resolve("build/Generated.java");
            Files.createDirectories(ignored.getParent());
            Files.writeString(ignored, "package gen;\npublic class Generated {}\n");
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
