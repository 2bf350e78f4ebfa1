package io.ast2graph.producer;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code --include}/{@code --exclude} globs, matched against a file's path relative to the repository root.
 *
 * <p>They use {@link java.nio.file.FileSystem#getPathMatcher "glob:"} syntax with one change: a {@code **}{@code /}
 * that starts a path segment also matches no directory at all, as in git. Plain java.nio globs need at least one
 * {@code /} there, so the default include {@code **}{@code /*.java} would miss {@code Main.java} at the root, and
 * {@code src/**}{@code /*.java} would miss {@code src/Main.java}; users do not expect either.
 */
final class GlobFilter {
    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;

    GlobFilter(List<String> includes, List<String> excludes) {
        this.includes = compile("--include", includes);
        this.excludes = compile("--exclude", excludes);
    }

    boolean accepts(Path relativePath) {
        return matchesAny(includes, relativePath) && !matchesAny(excludes, relativePath);
    }

    /** The globs that together mean what {@code glob} means with every segment-leading {@code **}{@code /} optional. */
    static Set<String> zeroDirectoryVariants(String glob) {
        Set<String> variants = new LinkedHashSet<>();
        expand(glob, 0, variants);
        return variants;
    }

    private static void expand(String glob, int from, Set<String> out) {
        int at = glob.indexOf("**/", from);
        // Only a "**/" that is a whole segment stands for directories; "a**/" is a name pattern and stays as it is.
        while (at > 0 && glob.charAt(at - 1) != '/') {
            at = glob.indexOf("**/", at + 1);
        }
        if (at < 0) {
            out.add(glob);
            return;
        }
        expand(glob, at + 3, out);
        expand(glob.substring(0, at) + glob.substring(at + 3), at, out);
    }

    private static List<PathMatcher> compile(String option, List<String> globs) {
        var fileSystem = FileSystems.getDefault();
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            if (glob.isBlank()) {
                throw new IllegalArgumentException(option + " must not be blank");
            }
            for (String variant : zeroDirectoryVariants(glob)) {
                try {
                    matchers.add(fileSystem.getPathMatcher("glob:" + variant));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(option + " '" + glob + "' is not a valid glob: " + e.getDescription(), e);
                }
            }
        }
        return List.copyOf(matchers);
    }

    private static boolean matchesAny(List<PathMatcher> matchers, Path path) {
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
