package io.ast2graph.producer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SourceWalkerTest {
    private Path root;
    /** A sibling of the root, for links that lead out of it; in the same temp dir so cleaning up follows no link out. */
    private Path outside;

    private final SourceWalker defaults = new SourceWalker(SourceWalker.Settings.defaults());

    @BeforeEach
    void createRoots(@TempDir Path temp) throws IOException {
        root = Files.createDirectory(temp.resolve("root"));
        outside = Files.createDirectory(temp.resolve("outside"));
    }

    @Test
    void honoursNestedGitignoresAsGitDoes() throws IOException {
        write(".gitignore", "build/\n/Top.java\n");
        write("src/.gitignore", "*.gen.java\n!keep.gen.java\n");
        write("App.java");
        write("Top.java");                    // anchored /Top.java: ignored at the root only
        write("src/Top.java");
        write("build/Built.java");            // build/ ignored ...
        write("src/build/Nested.java");       // ... at any depth, since the pattern has no leading slash
        write("build.java/Odd.java");         // a directory named like a file is still walked
        write("src/Main.java");
        write("src/a/Model.gen.java");        // the nested .gitignore covers its whole subtree
        write("src/a/keep.gen.java");         // and its negation re-includes
        write("src/keep.gen.java");
        write("other/Other.gen.java");        // but not sibling trees
        write("README.md");

        assertThat(paths(defaults.walk(root))).containsExactly(
            "App.java",
            "build.java/Odd.java",
            "other/Other.gen.java",
            "src/Main.java",
            "src/Top.java",
            "src/a/keep.gen.java",
            "src/keep.gen.java");
    }

    @Test
    void skipsGitDirectoryAndAppliesInfoExclude() throws IOException {
        write(".git/objects/Blob.java");
        write(".git/info/exclude", "secret/\n");
        write("secret/Key.java");
        write("module/.git", "gitdir: ../.git/modules/module\n");  // a submodule's .git file
        write("module/Sub.java");

        assertThat(paths(defaults.walk(root))).containsExactly("module/Sub.java");
    }

    @Test
    void gitignoreInSubdirectoryOverridesItsParent() throws IOException {
        write(".gitignore", "*.java\n");
        write("api/.gitignore", "!Public.java\n");
        write("api/Public.java");
        write("api/Internal.java");
        write("Root.java");

        assertThat(paths(defaults.walk(root))).containsExactly("api/Public.java");
    }

    @Test
    void defaultIncludeMatchesFilesAtTheRootAndBelow() throws IOException {
        write("Root.java");
        write("a/b/Deep.java");
        write("a/Notes.txt");

        assertThat(paths(defaults.walk(root))).containsExactly("Root.java", "a/b/Deep.java");
    }

    @Test
    void includeAndExcludeGlobsMatchTheRelativePath() throws IOException {
        write("Root.java");
        write("src/Main.java");               // src/**/*.java must match directly under src/ too
        write("src/app/Service.java");
        write("src/app/ServiceTest.java");
        write("src/test/Fixture.java");
        write("tools/Tool.java");
        var walker = new SourceWalker(new SourceWalker.Settings(
            List.of("src/**/*.java"), List.of("**/*Test.java", "**/test/**"), SourceWalker.DEFAULT_MAX_FILE_BYTES));

        assertThat(paths(walker.walk(root))).containsExactly("src/Main.java", "src/app/Service.java");
    }

    @Test
    void yieldsFilesSortedByRelativePathWhateverTheCreationOrder() throws IOException {
        for (String path : List.of("z/Z.java", "m/M.java", "a/b/B.java", "a/A.java", "B.java", "a.java")) {
            write(path);
        }

        assertThat(paths(defaults.walk(root)))
            .containsExactly("B.java", "a.java", "a/A.java", "a/b/B.java", "m/M.java", "z/Z.java");
    }

    @Test
    void severalRootsGetPathsRelativeToTheirCommonAncestorSoEqualRelativePathsDoNotCollide() throws IOException {
        // Two modules with the same layout: relative to each root both files would be src/Main.java, one Kafka key.
        write("app/src/Main.java");
        write("lib/src/Main.java");
        write("docs/src/Ignored.java");

        WalkResult result = defaults.walk(List.of(root.resolve("lib"), root.resolve("app")));

        assertThat(paths(result)).containsExactly("app/src/Main.java", "lib/src/Main.java");
        assertThat(result.files()).extracting(SourceFile::absolutePath)
            .containsExactly(root.resolve("app/src/Main.java"), root.resolve("lib/src/Main.java"));
        assertThat(SourceWalker.commonAncestor(List.of(root.resolve("lib"), root.resolve("app/src")))).isEqualTo(root);
        assertThat(SourceWalker.commonAncestor(List.of(root.resolve("app")))).isEqualTo(root.resolve("app"));
    }

    @Test
    void aGivenRepositoryRootPrefixesThePathsAndItsGitignoresApplyBelowIt() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "*.gen.java\n");
        write("module/.gitignore", "skipped/\n");
        write("module/src/A.java");
        write("module/src/A.gen.java");
        write("module/src/skipped/B.java");
        write("module/src/include/C.java");
        var onlyIncludes = new SourceWalker(new SourceWalker.Settings(List.of("module/src/include/**"), List.of(), 1000));

        assertThat(paths(defaults.walk(root, List.of(root.resolve("module/src")))))
            .containsExactly("module/src/A.java", "module/src/include/C.java");
        assertThat(paths(onlyIncludes.walk(root, List.of(root.resolve("module/src")))))
            .as("globs match the path relative to the repository root").containsExactly("module/src/include/C.java");
    }

    @Test
    void overlappingRootsYieldEachFileOnce() throws IOException {
        write("a/A.java");
        write("a/b/B.java");

        assertThat(paths(defaults.walk(List.of(root.resolve("a"), root.resolve("a/b")))))
            .containsExactly("A.java", "b/B.java");
    }

    @Test
    void aRootOutsideTheRepositoryRootIsRejectedWithTheOptionNamed() throws IOException {
        write("A.java");

        assertThatThrownBy(() -> defaults.walk(root, List.of(outside)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is not inside the repository root").hasMessageContaining("--repo-root");
    }

    @Test
    void reportsAndLeavesOutFilesOverTheSizeLimit() throws IOException {
        write("Small.java", "x".repeat(10));
        write("Big.java", "x".repeat(11));
        write("Big.txt", "x".repeat(11));      // not a candidate, so not worth a report
        var walker = new SourceWalker(new SourceWalker.Settings(SourceWalker.DEFAULT_INCLUDES, List.of(), 10));

        WalkResult result = walker.walk(root);

        assertThat(result.files()).singleElement().satisfies(file -> {
            assertThat(file.absolutePath()).isEqualTo(root.resolve("Small.java"));
            assertThat(file.relativePath()).isEqualTo("Small.java");
            assertThat(file.size()).isEqualTo(10);
            // The stat the hash cache compares: the walk's, at no extra system call.
            assertThat(file.modifiedNanos()).isEqualTo(Files.getLastModifiedTime(root.resolve("Small.java"))
                .to(java.util.concurrent.TimeUnit.NANOSECONDS));
            assertThat(file.fileKey()).isNotEmpty();
        });
        assertThat(result.skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.relativePath()).isEqualTo("Big.java");
            assertThat(skipped.reason()).isEqualTo("larger than 10 bytes (11 bytes); raise --max-file-size to include it");
        });
    }

    @Test
    void followsSymbolicLinksThatStayInsideTheRoot() throws IOException {
        write("real/Real.java");
        Files.createSymbolicLink(root.resolve("alias"), Path.of("real"));
        Files.createSymbolicLink(root.resolve("Linked.java"), Path.of("real/Real.java"));

        WalkResult result = defaults.walk(root);

        assertThat(paths(result)).containsExactly("Linked.java", "alias/Real.java", "real/Real.java");
        assertThat(result.files()).filteredOn(file -> file.relativePath().equals("alias/Real.java"))
            .extracting(SourceFile::absolutePath).containsExactly(root.resolve("alias/Real.java"));
        assertThat(result.skipped()).isEmpty();
    }

    @Test
    void reportsSymbolicLinksLeadingOutOfTheRootWithoutFollowingThem() throws IOException {
        Files.writeString(outside.resolve("Secret.java"), "class Secret {}");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("Escape.java"), outside.resolve("Secret.java"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        write("Inside.java");

        WalkResult result = defaults.walk(root);

        assertThat(paths(result)).containsExactly("Inside.java");
        assertThat(result.skipped()).extracting(Skipped::relativePath).containsExactly("Escape.java", "escape", "up");
        assertThat(result.skipped()).allSatisfy(skipped -> assertThat(skipped.reason()).contains("outside the root"));
    }

    @Test
    void symbolicLinkCycleIsReportedAndTheWalkEnds() throws IOException {
        write("a/A.java");
        Files.createSymbolicLink(root.resolve("a/loop"), Path.of("."));
        Files.createSymbolicLink(root.resolve("a/back"), Path.of("../a"));

        WalkResult result = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> defaults.walk(root));

        assertThat(paths(result)).containsExactly("a/A.java");
        assertThat(result.skipped()).extracting(Skipped::relativePath).containsExactly("a/back", "a/loop");
        assertThat(result.skipped()).allSatisfy(skipped -> assertThat(skipped.reason()).contains("cycle"));
    }

    @Test
    void reportsBrokenSymbolicLinks() throws IOException {
        Files.createSymbolicLink(root.resolve("Gone.java"), Path.of("nowhere/Gone.java"));

        WalkResult result = defaults.walk(root);

        assertThat(result.files()).isEmpty();
        assertThat(result.skipped()).extracting(Skipped::relativePath).containsExactly("Gone.java");
    }

    @Test
    void missingRootIsAnError() {
        assertThatThrownBy(() -> defaults.walk(root.resolve("missing")))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("missing")
            .hasMessageContaining("does not exist");
    }

    @Test
    void invalidGlobIsRejectedWithTheOptionNamed() {
        assertThatThrownBy(() -> new SourceWalker(new SourceWalker.Settings(List.of("src/[a.java"), List.of(), 10)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("--include 'src/[a.java'");
    }

    private void write(String relativePath) throws IOException {
        write(relativePath, "class X {}\n");
    }

    private void write(String relativePath, String content) throws IOException {
        Path file = root.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> paths(WalkResult result) {
        return result.files().stream().map(SourceFile::relativePath).toList();
    }
}
