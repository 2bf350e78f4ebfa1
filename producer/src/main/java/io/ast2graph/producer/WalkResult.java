package io.ast2graph.producer;

import java.util.List;

/**
 * What {@link SourceWalker#walk} found.
 *
 * @param files   the files to publish, sorted by root (in the order given), then by relative path
 * @param skipped the files (and directories) left out and why, in the same order
 */
public record WalkResult(List<SourceFile> files, List<Skipped> skipped) {
    public WalkResult {
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
    }
}
