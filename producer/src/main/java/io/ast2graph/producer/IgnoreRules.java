package io.ast2graph.producer;

import org.eclipse.jgit.ignore.IgnoreNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The .gitignore rules in force at one point of a depth-first walk: one level per directory from the root down to the
 * current one, plus the repository's {@code .git/info/exclude}. Matching itself is JGit's, so patterns mean exactly
 * what they mean to git.
 *
 * <p>Precedence is git's: the deepest .gitignore with a matching rule decides (its last matching rule wins, so a later
 * {@code !keep.gen.java} re-includes what an earlier {@code *.gen.java} ignored), then the parents' files, then
 * {@code .git/info/exclude}. A file inside an ignored directory can never be re-included, as in git: the walker does
 * not enter ignored directories at all.
 *
 * <p>Not thread-safe: it follows one walk.
 */
final class IgnoreRules {
    /**
     * @param prefixLength length of the directory's relative path plus its '/', cut from a path to make it relative
     *                     to the directory its .gitignore lives in
     */
    private record Level(int prefixLength, IgnoreNode rules, boolean hasRules) {}

    private final List<Level> levels = new ArrayList<>();
    private final IgnoreNode repositoryExcludes;

    /** @param repositoryExcludes the rules of {@code .git/info/exclude}, relative to the root; empty if none */
    IgnoreRules(IgnoreNode repositoryExcludes) {
        this.repositoryExcludes = repositoryExcludes;
    }

    /** Enters a directory ({@code ""} for the root) whose own .gitignore holds {@code rules} (empty if it has none). */
    void enter(String directory, IgnoreNode rules) {
        int prefixLength = directory.isEmpty() ? 0 : directory.length() + 1;
        levels.add(new Level(prefixLength, rules, !rules.getRules().isEmpty()));
    }

    void leave() {
        levels.removeLast();
    }

    /** Whether git would ignore {@code relativePath}, a child of the current directory ('/'-separated, from the root). */
    boolean isIgnored(String relativePath, boolean directory) {
        for (int i = levels.size() - 1; i >= 0; i--) {
            Level level = levels.get(i);
            if (!level.hasRules()) {
                continue;
            }
            Boolean decision = level.rules().checkIgnored(relativePath.substring(level.prefixLength()), directory);
            if (decision != null) {
                return decision;
            }
        }
        Boolean decision = repositoryExcludes.checkIgnored(relativePath, directory);
        return decision != null && decision;
    }
}
