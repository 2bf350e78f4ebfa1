package io.ast2graph.producer;

import java.util.List;

/**
 * What {@link SourceWalker#walk} found.
 *
 * @param files   the files to publish, each once, sorted by their path relative to the repository root
 * @param skipped the files (and directories) left out and why, sorted the same way
 */
public record WalkResult(List<SourceFile> files, List<Skipped> skipped) {
    public WalkResult {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }
}
