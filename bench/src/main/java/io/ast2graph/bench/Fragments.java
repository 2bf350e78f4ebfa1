package io.ast2graph.bench;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.parser.FragmentBuilder;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Builds the fragments of a whole corpus on every core, as the parser workers would. */
final class Fragments {
    private Fragments() {}

    static List<GraphFragment> build(Corpus corpus, String repo, int threads) throws Exception {
        FragmentBuilder builder = new FragmentBuilder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<GraphFragment>> futures = new ArrayList<>();
            for (Corpus.SourceFile file : corpus.files()) {
                futures.add(pool.submit(() -> {
                    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.bytes()));
                    return builder.build("bench", repo, file.path(), sha, 1, file.bytes());
                }));
            }
            List<GraphFragment> fragments = new ArrayList<>(futures.size());
            for (Future<GraphFragment> future : futures) {
                fragments.add(future.get());
            }
            return fragments;
        } finally {
            pool.shutdownNow();
        }
    }

    static long rows(List<GraphFragment> fragments) {
        return fragments.stream().mapToLong(f -> f.nodes().size() + f.relationships().size()).sum();
    }
}
