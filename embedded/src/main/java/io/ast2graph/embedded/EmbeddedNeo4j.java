package io.ast2graph.embedded;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real Neo4j Community database running inside this JVM with its Bolt connector on localhost: the embedded default
 * of {@code ast2graph scan}, and the database of the integration tests. Clients talk to it through the Bolt driver,
 * exactly as they would to a remote server.
 */
public final class EmbeddedNeo4j implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedNeo4j.class);

    /**
     * Extra settings of the embedded Neo4j, {@code name=value} pairs separated by commas (e.g. for memory or the Cypher
     * planner); those this class sets itself win.
     */
    public static final String EXTRA_SETTINGS = "AST2GRAPH_NEO4J_SETTINGS";

    private final Path home;
    private final int boltPort;
    private final long pageCacheBytes;
    private DatabaseManagementService service;

    private EmbeddedNeo4j(Path home, int boltPort, long pageCacheBytes) {
        this.home = home;
        this.boltPort = boltPort;
        this.pageCacheBytes = pageCacheBytes;
    }

    /**
     * Starts the database stored under {@code home}.
     *
     * @param boltPort       the Bolt port on localhost, 0 for any free port
     * @param pageCacheBytes the page cache size; the database's files are cached up to this size
     */
    public static EmbeddedNeo4j start(Path home, int boltPort, long pageCacheBytes) {
        EmbeddedNeo4j neo4j = new EmbeddedNeo4j(home.toAbsolutePath(), boltPort == 0 ? FreePorts.pick() : boltPort,
            pageCacheBytes);
        neo4j.startServer();
        return neo4j;
    }

    public String boltUri() {
        return "bolt://localhost:" + boltPort;
    }

    public int boltPort() {
        return boltPort;
    }

    /** The default database, for in-process access (tests, the bulk importer's checks). */
    public GraphDatabaseService database() {
        return service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    }

    public boolean isRunning() {
        return service != null;
    }

    public synchronized void startServer() {
        if (service != null) {
            return;
        }
        try {
            Files.createDirectories(home);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the Neo4j folder " + home, e);
        }
        long start = System.nanoTime();
        var builder = new DatabaseManagementServiceBuilder(home);
        Map<String, String> extra = extraSettings(System.getenv(EXTRA_SETTINGS));
        if (!extra.isEmpty()) {
            // The builder takes settings by name only from a file; those set below win over them.
            Path file = home.resolve("extra-settings.conf");
            try {
                Files.write(file, extra.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + file, e);
            }
            builder.loadPropertiesFromFile(file);
            log.info("extra Neo4j settings from {}: {}", EXTRA_SETTINGS, extra);
        }
        service = builder
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("localhost", boltPort))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            // Only this machine can reach it (loopback); the embedded default needs no credentials.
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
            // Without this every stop waits Netty's default quiet period of several seconds.
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, Duration.ZERO)
            // Transaction logs must not grow without bound on long runs: keep only what recovery needs plus a little.
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "256M size")
            .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L * 1024 * 1024)
            .build();
        log.info("Neo4j up at {} in {} ms (data: {})", boltUri(), (System.nanoTime() - start) / 1_000_000, home);
    }

    /**
     * Parses {@value #EXTRA_SETTINGS}: {@code name=value} pairs separated by commas.
     *
     * @throws IllegalArgumentException naming the pair that has no {@code =}
     */
    static Map<String, String> extraSettings(String pairs) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (pairs == null || pairs.isBlank()) {
            return settings;
        }
        for (String pair : pairs.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(EXTRA_SETTINGS + " must be name=value pairs separated by commas, "
                    + "found '" + pair.strip() + "'");
            }
            settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return settings;
    }

    /** Stops the database; clients see it as unreachable until {@link #startServer()}. */
    public synchronized void stopServer() {
        if (service != null) {
            service.shutdown();
            service = null;
        }
    }

    @Override
    public void close() {
        stopServer();
    }
}
