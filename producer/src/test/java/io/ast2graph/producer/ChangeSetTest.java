package io.ast2graph.producer;

import io.ast2graph.common.model.ManifestEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeSetTest {
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);
    private static final String SHA_C = "c".repeat(64);

    @TempDir
    Path root;

    @Test
    void publishesAddedAndChangedFilesAndDeletesWhatIsGone() {
        var previous = manifest(Map.of("src/Same.java", SHA_A, "src/Edited.java", SHA_A, "src/Gone.java", SHA_C));
        var current = List.of(file("src/Edited.java", SHA_B), file("src/New.java", SHA_C), file("src/Same.java", SHA_A));

        ChangeSet changes = ChangeSet.between(previous, current, List.of(), List.of(""), false);

        assertThat(changes.toPublish()).extracting(DigestedFile::path).containsExactly("src/Edited.java", "src/New.java");
        assertThat(changes.deleted()).containsExactly("src/Gone.java");
        assertThat(changes.added()).isEqualTo(1);
        assertThat(changes.changed()).isEqualTo(1);
        assertThat(changes.unchanged()).isEqualTo(1);
        assertThat(changes.size()).isEqualTo(3);
    }

    @Test
    void aRenameIsADeletionPlusAnAdditionEvenWithTheSameContent() {
        var previous = manifest(Map.of("src/Old.java", SHA_A));

        ChangeSet changes = ChangeSet.between(previous, List.of(file("src/Renamed.java", SHA_A)), List.of(), List.of(""), false);

        assertThat(changes.toPublish()).extracting(DigestedFile::path).containsExactly("src/Renamed.java");
        assertThat(changes.deleted()).containsExactly("src/Old.java");
        assertThat(changes.added()).isEqualTo(1);
    }

    @Test
    void fullPublishesUnchangedFilesTooAndStillFindsDeletions() {
        var previous = manifest(Map.of("A.java", SHA_A, "Gone.java", SHA_B));

        ChangeSet changes = ChangeSet.between(previous, List.of(file("A.java", SHA_A)), List.of(), List.of(""), true);

        assertThat(changes.toPublish()).extracting(DigestedFile::path).containsExactly("A.java");
        assertThat(changes.changed()).isEqualTo(1);
        assertThat(changes.unchanged()).isZero();
        assertThat(changes.deleted()).containsExactly("Gone.java");
    }

    @Test
    void aFileOrFolderTheScanSkippedKeepsItsGraph() {
        var previous = manifest(Map.of("Big.java", SHA_A, "locked/Deep.java", SHA_B, "locked/more/Deeper.java", SHA_B,
            "lockedout/Sibling.java", SHA_C));
        var skipped = List.of(new Skipped("Big.java", "larger than 10 bytes"), new Skipped("locked", "directory not fully readable"));

        ChangeSet changes = ChangeSet.between(previous, List.of(), skipped, List.of(""), false);

        assertThat(changes.deleted()).as("a folder's name is no prefix of its sibling's").containsExactly("lockedout/Sibling.java");
    }

    @Test
    void onlyFilesUnderTheScannedFoldersCanBeDeleted() {
        var previous = manifest(Map.of("app/A.java", SHA_A, "lib/L.java", SHA_B, "library/X.java", SHA_C));

        ChangeSet changes = ChangeSet.between(previous, List.of(), List.of(), List.of("lib"), false);

        assertThat(changes.deleted()).containsExactly("lib/L.java");
    }

    @Test
    void firstScanPublishesEverything() {
        ChangeSet changes = ChangeSet.between(Map.of(), List.of(file("A.java", SHA_A), file("B.java", SHA_B)),
            List.of(), List.of(""), false);

        assertThat(changes.toPublish()).hasSize(2);
        assertThat(changes.added()).isEqualTo(2);
        assertThat(changes.deleted()).isEmpty();
    }

    @Test
    void hashAllKeepsTheWalkOrderAndReportsUnreadableFiles() throws IOException {
        Files.writeString(root.resolve("A.java"), "class A {}");
        Files.writeString(root.resolve("B.java"), "class B {}");
        var files = List.of(new SourceFile(root.resolve("B.java"), "B.java", 10),
            new SourceFile(root.resolve("Gone.java"), "Gone.java", 3),
            new SourceFile(root.resolve("A.java"), "A.java", 10));

        DigestedFile.Hashed hashed = DigestedFile.hashAll(files);

        assertThat(hashed.files()).extracting(DigestedFile::path).containsExactly("B.java", "A.java");
        assertThat(hashed.files().getFirst().sha256()).isEqualTo(new Sha256().of("class B {}".getBytes()));
        assertThat(hashed.unreadable()).extracting(Skipped::relativePath).containsExactly("Gone.java");
        assertThat(hashed.unreadable().getFirst().reason()).contains("vanished");
    }

    private static Map<String, ManifestEntry> manifest(Map<String, String> shaByPath) {
        Map<String, ManifestEntry> manifest = new TreeMap<>();
        shaByPath.forEach((path, sha) -> manifest.put(path, new ManifestEntry("shop", path, sha, 1, "scan-1")));
        return manifest;
    }

    private DigestedFile file(String path, String sha) {
        return new DigestedFile(new SourceFile(root.resolve(path), path, 1), sha, 1);
    }
}
