package io.ast2graph.cli;

import io.ast2graph.embedded.EmbeddedNeo4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ast2graph serve}: keeps the embedded graph up with Bolt on localhost for Neo4j Browser or cypher-shell. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the embedded graph over Bolt on localhost (default port 7687) until interrupted.")
final class ServeCommand implements Callable<Integer> {
    @Mixin EmbeddedOptions embeddedOptions;

    @Override
    public Integer call() throws InterruptedException {
        int port = embeddedOptions.boltPort == 0 ? 7687 : embeddedOptions.boltPort;
        EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(embeddedOptions.dataDir.resolve("neo4j"), port, embeddedOptions.pageCacheBytes());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            neo4j.close();
            stopped.countDown();
        }, "serve-stop"));
        System.out.println("ast2graph: serving " + embeddedOptions.dataDir.toAbsolutePath().resolve("neo4j") + " at "
            + neo4j.boltUri() + " (no authentication, localhost only); Ctrl-C stops.");
        stopped.await();
        return 0;
    }
}
