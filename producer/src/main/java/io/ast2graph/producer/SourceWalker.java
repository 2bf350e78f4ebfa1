package io.ast2graph.producer;

import org.eclipse.jgit.ignore.IgnoreNode;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Java source files under one or more roots, the way git sees the tree.
 *
 * <p>What is left out, silently:
 * <ul>
 *   <li>every {@code .git} directory;</li>
 *   <li>what the {@code .gitignore} files ignore, at every level (a nested file applies to its own subtree, with
 *       negation, directory-only and anchored patterns), including those in the folders between the repository root
 *       and a scanned root, and what {@code .git/info/exclude} of the repository root ignores. Nothing above the
 *       repository root is read, nor the user's global {@code core.excludesFile};</li>
 *   <li>files the include globs do not match, or an exclude glob matches (see {@link Settings}).</li>
 * </ul>
 * What is left out and reported as {@link Skipped}: files larger than {@link Settings#maxFileBytes()}, symbolic links
 * that lead outside the root or nowhere, symbolic-link cycles, and directories or .gitignore files that cannot be read.
 *
 * <p>Paths: every path (of a file, of a skipped entry, and the one the globs match) is relative to the
 * <em>repository root</em>, a folder that contains every scanned root: by default their common ancestor. So two roots
 * of one repository never yield the same path for different files, and a worker that mounts the repository root finds
 * every file by its path. Roots that overlap yield each file once.
 *
 * <p>Symbolic links: a link whose target is inside the root (compared by real path) is followed, and what lies behind
 * it is reported under the link's own path: a link {@code alias -> real} yields {@code real/A.java} and
 * {@code alias/A.java}, as the build tools that follow links would see them. A link whose target is outside the root
 * is never followed, so a scan cannot read beyond what it was pointed at. A link back to one of its own ancestor
 * directories is a cycle: it is reported and not entered, so the walk always ends.
 *
 * <p>The walk streams through {@link Files#walkFileTree} with a constant amount of work per entry (one or two
 * {@code stat} calls, the glob and ignore matches); only the result list grows with the tree.
 * Instances are immutable and may be shared; each {@link #walk} call is independent.
 */
public final class SourceWalker {
    /** Larger files are generated or data, not code worth a graph, and would dominate a parser's memory. */
    public static final long DEFAULT_MAX_FILE_BYTES = 4L * 1024 * 1024;
    public static final List<String> DEFAULT_INCLUDES = List.of("**/*.java");

    private static final String GIT_DIRECTORY = ".git";
    private static final String IGNORE_FILE = ".gitignore";

    /**
     * How to walk.
     *
     * @param includes     globs ({@code --include}) a file's relative path must match one of; default
     *                     {@code **}{@code /*.java}, which also matches files at the root
     * @param excludes     globs ({@code --exclude}) that leave a matching file out even if included; default none
     * @param maxFileBytes ({@code --max-file-size}) larger files are skipped and reported; default 4 MiB
     */
    public record Settings(List<String> includes, List<String> excludes, long maxFileBytes) {
        public Settings {
            includes = List.copyOf(includes);
            excludes = List.copyOf(excludes);
            if (includes.isEmpty()) {
                throw new IllegalArgumentException("--include needs at least one glob, e.g. '**/*.java'");
            }
            if (maxFileBytes < 1) {
                throw new IllegalArgumentException("--max-file-size must be at least 1 byte, was " + maxFileBytes);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_INCLUDES, List.of(), DEFAULT_MAX_FILE_BYTES);
        }
    }

    private final Settings settings;
    private final GlobFilter globs;

    /** @throws IllegalArgumentException if a glob is invalid */
    public SourceWalker(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.globs = new GlobFilter(settings.includes(), settings.excludes());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Walks every root, with paths relative to their common ancestor; see {@link #walk(Path, List)}.
     *
     * @throws IllegalArgumentException if the roots have no common ancestor (different drives)
     */
    public WalkResult walk(List<Path> roots) throws IOException {
        return walk(commonAncestor(roots), roots);
    }

    /** Walks one root, with paths relative to it. */
    public WalkResult walk(Path root) throws IOException {
        return walk(root, List.of(root));
    }

    /**
     * Walks every root.
     *
     * @param repositoryRoot the folder every path is relative to; it must contain every root
     * @return the files found, each once, sorted by path, and what was skipped, sorted by path
     * @throws IOException              if a root does not exist, is not a directory or cannot be read
     * @throws IllegalArgumentException if a root is not inside the repository root
     */
    public WalkResult walk(Path repositoryRoot, List<Path> roots) throws IOException {
        Path repository = repositoryRoot.toAbsolutePath().normalize();
        // Sorted maps: paths are unique keys (overlapping roots find a file twice) and come out in a stable order.
        Map<String, SourceFile> files = new TreeMap<>();
        Map<String, Skipped> skipped = new TreeMap<>();
        for (Path root : roots) {
            Path absolute = root.toAbsolutePath().normalize();
            if (!absolute.startsWith(repository)) {
                throw new IllegalArgumentException("DIR " + absolute + " is not inside the repository root " + repository
                    + "; give --repo-root a folder that contains every DIR");
            }
            WalkResult one = walkRoot(repository, absolute);
            one.files().forEach(file -> files.putIfAbsent(file.relativePath(), file));
            one.skipped().forEach(skip -> skipped.putIfAbsent(skip.relativePath(), skip));
        }
        return new WalkResult(new ArrayList<>(files.values()), new ArrayList<>(skipped.values()));
    }

    /**
     * The deepest folder that contains every root (a root itself if there is one), absolute and normalized.
     *
     * @throws IllegalArgumentException if there are no roots, or they share no folder (different drives)
     */
    public static Path commonAncestor(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("give at least one folder to scan");
        }
        Path common = roots.getFirst().toAbsolutePath().normalize();
        for (Path root : roots) {
            Path absolute = root.toAbsolutePath().normalize();
            while (common != null && !absolute.startsWith(common)) {
                common = common.getParent();
            }
            if (common == null) {
                throw new IllegalArgumentException("the folders " + roots + " share no common folder; scan them separately");
            }
        }
        return common;
    }

    private WalkResult walkRoot(Path repository, Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("source root " + root + (Files.exists(root) ? " is not a directory" : " does not exist"));
        }
        var visitor = new Visitor(repository, root, root.toRealPath());
        // FOLLOW_LINKS makes the JDK detect cycles (a directory that is its own ancestor) for us; links out of the
        // root are refused by the visitor before the walk enters them.
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, visitor);
        return new WalkResult(visitor.files, visitor.skipped);
    }

    private final class Visitor extends SimpleFileVisitor<Path> {
        private final Path repository;
        private final Path root;
        private final Path realRoot;
        private final IgnoreRules ignores;
        private final List<SourceFile> files = new ArrayList<>();
        private final List<Skipped> skipped = new ArrayList<>();

        /** @param repository the folder paths are relative to: {@code root} or one of its ancestors */
        Visitor(Path repository, Path root, Path realRoot) {
            this.repository = repository;
            this.root = root;
            this.realRoot = realRoot;
            this.ignores = new IgnoreRules(readRules(repository.resolve(GIT_DIRECTORY).resolve("info").resolve("exclude")));
            // The .gitignore files of the folders from the repository root down to the root apply to it, as in git.
            for (Path dir = repository; !dir.equals(root); dir = dir.resolve(root.getName(dir.getNameCount()))) {
                ignores.enter(relative(dir), readRules(dir.resolve(IGNORE_FILE)));
            }
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (dir.equals(root)) {
                ignores.enter(relative(dir), readRules(dir.resolve(IGNORE_FILE)));
                return FileVisitResult.CONTINUE;
            }
            String path = relative(dir);
            if (dir.getFileName().toString().equals(GIT_DIRECTORY) || ignores.isIgnored(path, true)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (Files.isSymbolicLink(dir) && !leadsInsideRoot(dir, path)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            ignores.enter(path, readRules(dir.resolve(IGNORE_FILE)));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) {
            ignores.leave();
            if (failure != null) {
                // The listing broke off midway: what was listed is kept, the rest is reported rather than guessed at.
                String path = relative(dir);
                skipped.add(new Skipped(path.isEmpty() ? "." : path, "directory not fully readable: " + failure));
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            // With FOLLOW_LINKS the attributes are the target's; a link still shows up as a link only if its target
            // is missing. Sockets, pipes and devices are no source files.
            if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
                return FileVisitResult.CONTINUE;
            }
            Path relativePath = repository.relativize(file);
            // Globs first: they are the cheapest test and leave out most files of a repository.
            if (!globs.accepts(relativePath)) {
                return FileVisitResult.CONTINUE;
            }
            String path = slashSeparated(relativePath);
            if (ignores.isIgnored(path, false)) {
                return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
                skipped.add(new Skipped(path, "broken symbolic link: its target does not exist"));
                return FileVisitResult.CONTINUE;
            }
            if (Files.isSymbolicLink(file) && !leadsInsideRoot(file, path)) {
                return FileVisitResult.CONTINUE;
            }
            if (attrs.size() > settings.maxFileBytes()) {
                skipped.add(new Skipped(path,
                    "larger than " + settings.maxFileBytes() + " bytes (" + attrs.size() + " bytes); raise --max-file-size to include it"));
                return FileVisitResult.CONTINUE;
            }
            Object key = attrs.fileKey();
            files.add(new SourceFile(file, path, attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                key == null ? "" : key.toString()));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
            if (file.equals(root)) {
                throw failure;
            }
            String path = relative(file);
            boolean directory = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS) || failure instanceof FileSystemLoopException;
            if (file.getFileName().toString().equals(GIT_DIRECTORY) || ignores.isIgnored(path, directory)) {
                return FileVisitResult.CONTINUE;
            }
            if (failure instanceof FileSystemLoopException) {
                skipped.add(new Skipped(path, "symbolic link cycle: it leads back to a directory it is inside of"));
            } else {
                skipped.add(new Skipped(path, "unreadable: " + failure));
            }
            return FileVisitResult.CONTINUE;
        }

        /** Whether a symbolic link's target lies inside the root; reports it as skipped if not. */
        private boolean leadsInsideRoot(Path link, String path) {
            try {
                if (link.toRealPath().startsWith(realRoot)) {
                    return true;
                }
                skipped.add(new Skipped(path, "symbolic link to outside the root " + root + ": not followed"));
            } catch (IOException e) {
                skipped.add(new Skipped(path, "unreadable symbolic link: " + e));
            }
            return false;
        }

        /** The rules of an ignore file, or no rules if there is none; an unreadable one is reported and ignored. */
        private IgnoreNode readRules(Path ignoreFile) {
            var rules = new IgnoreNode();
            // Checking first is cheaper than an exception for every directory without a .gitignore (most of them).
            if (!Files.isRegularFile(ignoreFile)) {
                return rules;
            }
            try (InputStream in = Files.newInputStream(ignoreFile)) {
                rules.parse(ignoreFile.toString(), in);
                return rules;
            } catch (IOException e) {
                skipped.add(new Skipped(relative(ignoreFile), "unreadable, so its rules were not applied: " + e));
                return new IgnoreNode();
            }
        }

        private String relative(Path path) {
            return slashSeparated(repository.relativize(path));
        }
    }

    private static String slashSeparated(Path relativePath) {
        String path = relativePath.toString();
        return File.separatorChar == '/' ? path : path.replace(File.separatorChar, '/');
    }
}
