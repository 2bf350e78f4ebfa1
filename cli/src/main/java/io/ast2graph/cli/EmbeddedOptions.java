package io.ast2graph.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The embedded default: where its servers keep their data. */
final class EmbeddedOptions {
    @Option(names = "--data-dir", defaultValue = "${env:AST2GRAPH_DATA_DIR:-.ast2graph}",
        description = "Where the embedded Kafka broker and Neo4j database keep their data, and scan this machine's "
            + "hash cache (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--bolt-port", defaultValue = "0",
        description = "Bolt port of the embedded Neo4j on localhost (default: any free port; serve uses 7687).")
    int boltPort;

    @Option(names = "--page-cache", defaultValue = "512m",
        description = "Page cache of the embedded Neo4j, e.g. 512m, 2g (default: ${DEFAULT-VALUE}).")
    String pageCache;

    long pageCacheBytes() {
        return Sizes.parse(pageCache, "--page-cache");
    }
}
