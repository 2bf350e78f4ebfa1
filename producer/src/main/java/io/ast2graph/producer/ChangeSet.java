package io.ast2graph.producer;

import io.ast2graph.common.model.ManifestEntry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a scan publishes: the files whose content differs from what the last completed scan published (or every file,
 * for a full scan), and the files that scan published which are gone now. A renamed file is a deletion plus an
 * addition. Only files under the scanned folders can be deleted: scanning one module of a repository leaves the
 * graph of the others alone. A file the scan skipped (unreadable, too large, in a folder it could not read) is neither published nor
 * deleted: its last graph stays, since the scan could not see what it is now.
 *
 * @param toPublish the files to publish, in the walk's order
 * @param deleted   the paths to publish tombstones for, sorted
 * @param added     files the manifest does not know
 * @param changed   files whose content differs from their manifest entry (or, in a full scan, every known file)
 * @param unchanged files whose content equals their manifest entry, not published
 */
public record ChangeSet(List<DigestedFile> toPublish, List<String> deleted, long added, long changed, long unchanged) {
    public ChangeSet {
        toPublish = List.copyOf(toPublish);
        deleted = List.copyOf(deleted);
    }

    /** Every file, as for a first scan. */
    public static ChangeSet everything(List<DigestedFile> files) {
        return new ChangeSet(files, List.of(), files.size(), 0, 0);
    }

    /**
     * Compares the files found now with what the last completed scan published.
     *
     * @param previous the manifest of the repository, keyed by path
     * @param current  the files found now, hashed
     * @param skipped  what the walk and the hashing left out; a manifest path equal to one of these, or under one
     *                 (a folder that could not be read), is not deleted
     * @param scanned  the scanned folders, relative to the repository root ({@code ""} for the root itself): only
     *                 manifest paths under one of them can be deleted
     * @param full     publish every current file, changed or not ({@code --full}); deletions are found either way
     */
    public static ChangeSet between(Map<String, ManifestEntry> previous, List<DigestedFile> current,
                                    List<Skipped> skipped, List<String> scanned, boolean full) {
        Objects.requireNonNull(previous, "previous");
        List<DigestedFile> toPublish = new ArrayList<>();
        Set<String> present = new HashSet<>(current.size() * 2);
        long added = 0;
        long changed = 0;
        long unchanged = 0;
        for (DigestedFile file : current) {
            present.add(file.path());
            ManifestEntry last = previous.get(file.path());
            if (last == null) {
                added++;
                toPublish.add(file);
            } else if (full || !last.sha256().equals(file.sha256())) {
                changed++;
                toPublish.add(file);
            } else {
                unchanged++;
            }
        }
        Set<String> leftOut = new HashSet<>();
        skipped.forEach(s -> leftOut.add(s.relativePath()));
        Set<String> scope = new HashSet<>(scanned);
        boolean everywhere = scope.contains("");
        Set<String> deleted = new TreeSet<>();
        for (String path : previous.keySet()) {
            if (!present.contains(path) && (everywhere || isUnder(path, scope)) && !isUnder(path, leftOut)) {
                deleted.add(path);
            }
        }
        return new ChangeSet(toPublish, List.copyOf(deleted), added, changed, unchanged);
    }

    /**
     * Whether a path lies in one of the scanned folders, relative to the repository root ({@code ""} for the root
     * itself): what a scan of those folders can see, and so delete.
     */
    public static boolean isScanned(String path, List<String> scanned) {
        return scanned.contains("") || isUnder(path, Set.copyOf(scanned));
    }

    /** Whether {@code path} or one of its parent folders is in {@code paths} ("." stands for the whole tree). */
    private static boolean isUnder(String path, Set<String> paths) {
        if (paths.isEmpty()) {
            return false;
        }
        if (paths.contains(".")) {
            return true;
        }
        for (String p = path; ; p = p.substring(0, p.lastIndexOf('/'))) {
            if (paths.contains(p)) {
                return true;
            }
            if (p.indexOf('/') < 0) {
                return false;
            }
        }
    }

    /** The number of records the scan publishes: a reference per file plus a tombstone per deletion. */
    public long size() {
        return toPublish.size() + (long) deleted.size();
    }
}
