package io.ast2graph.writer;

import io.ast2graph.common.kafka.DownstreamUnavailableException;
import io.ast2graph.common.kafka.FatalWorkerException;
import io.ast2graph.common.model.GraphFragment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.SimpleQueryRunner;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes batches of fragments to Neo4j, one transaction per batch, idempotently.
 *
 * <p>A file's fragment <em>replaces</em> the file's previous subgraph in the same transaction: the nodes the file
 * owns (reachable from its File node over {@code DECLARES}/{@code HAS}) that the new fragment no longer has are
 * deleted, the owned nodes' outgoing relationships are dropped and written again, so what the file no longer says
 * disappears while relationships from other files into nodes that still exist survive. Shared nodes (packages,
 * external types) are never deleted. References the files cannot settle alone are settled by the
 * {@link ReferenceLinker link step} in the same transaction. A fragment older than what the graph holds for its file is skipped, so
 * versions arriving out of order never overwrite a newer one. Writing the same fragment twice changes nothing: a
 * fragment whose file the graph holds with the same content and builder version is not written again (a replay of
 * an unchanged graph is a read of its files' states), unless the writer is made to rewrite unchanged files.
 *
 * <p>Transient failures (deadlocks, lock timeouts, a leader switch) are retried by the driver's managed
 * transactions with exponential backoff and jitter, bounded by {@code maxRetryTime}; if Neo4j stays unreachable the
 * batch fails with {@link DownstreamUnavailableException} and the consume loop pauses and retries it later.
 */
public final class Neo4jGraphWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Neo4jGraphWriter.class);

    /** The node labels whose {@code id} is unique; every node of a fragment carries one of them. */
    public static final List<String> IDENTIFIED_LABELS = List.of("File", "Package", "Module", "Type", "Method",
        "Field", "Parameter");
    /** Relationships over which a File owns its nodes. */
    static final String OWNERSHIP = "DECLARES|HAS";

    private static final String READ_STATES = """
        UNWIND $ids AS id
        MATCH (f:File {id: id})
        RETURN id, f.version AS version, f.sha256 AS sha256, f.builderVersion AS builderVersion""";

    /**
     * Removes what a file owned and no longer declares, and the outgoing relationships of what it keeps (they are
     * written again from the fragment). For a tombstone {@code keep} is empty and the File goes too.
     */
    private static final String SWEEP = """
        UNWIND $files AS f
        MATCH (file:File {id: f.id})
        OPTIONAL MATCH (file)-[:%s*1..]->(n)
        WHERE NOT n:Package AND coalesce(n.external, false) = false
        WITH file, f, collect(DISTINCT n) AS owned
        WITH file, f, [x IN owned WHERE NOT x.id IN f.keep] AS gone, [x IN owned WHERE x.id IN f.keep] AS kept
        FOREACH (x IN gone | DETACH DELETE x)
        WITH file, f, kept
        CALL (file, kept) {
          UNWIND kept + [file] AS k
          MATCH (k)-[r]->()
          DELETE r
        }
        WITH file, f
        WHERE f.delete
        DETACH DELETE file""".formatted(OWNERSHIP);

    /** Records a newer version of an unchanged file, which is not written again. */
    private static final String RECORD_VERSIONS = """
        UNWIND $files AS f
        MATCH (file:File {id: f.id})
        WHERE file.version < f.version
        SET file.version = f.version""";

    private final Driver driver;
    private final SessionConfig sessionConfig;
    private final boolean rewriteUnchanged;
    private final StatementTimer statements;
    private final Counter retries;

    /** A writer whose meters (statement times, retries) go to a registry of its own. */
    public Neo4jGraphWriter(Driver driver, String database) {
        this(driver, database, new SimpleMeterRegistry());
    }

    /** A writer that registers its statement times ({@code ast2graph.writer.statement}) in {@code metrics}. */
    public Neo4jGraphWriter(Driver driver, String database, MeterRegistry metrics) {
        this(driver, database, metrics, false);
    }

    /**
     * @param rewriteUnchanged write a file again even when the graph holds it with the same content and builder
     *                         version: a replay then repairs a graph changed by hand, at the cost of rewriting it all
     */
    public Neo4jGraphWriter(Driver driver, String database, MeterRegistry metrics, boolean rewriteUnchanged) {
        this.driver = driver;
        this.rewriteUnchanged = rewriteUnchanged;
        this.sessionConfig = database.isEmpty() ? SessionConfig.defaultConfig() : SessionConfig.forDatabase(database);
        this.statements = new StatementTimer(metrics);
        this.retries = Counter.builder("ast2graph.writer.retries")
            .description("batch transactions run again after a transient error (deadlock, lock timeout, leader switch)")
            .register(metrics);
    }

    /** Opens a driver with the retry bound and logging this project uses. */
    public static Driver connect(Neo4jSettings settings, Duration maxRetryTime) {
        var auth = settings.user().isEmpty() ? AuthTokens.none() : AuthTokens.basic(settings.user(), settings.password());
        return GraphDatabase.driver(settings.uri(), auth, Config.builder()
            .withLogging(Logging.slf4j())
            .withMaxTransactionRetryTime(maxRetryTime.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .withConnectionTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
            .withConnectionAcquisitionTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
            .build());
    }

    /**
     * Compiles the query plans of every statement shape by writing sample fragments in a transaction that is rolled
     * back: nothing stays in the graph, and the first real batches do not pay for planning.
     *
     * @return how long it took, in milliseconds
     */
    public long warmUp() {
        long start = System.nanoTime();
        try (var session = driver.session(sessionConfig); var tx = session.beginTransaction()) {
            for (List<GraphFragment> batch : PlanWarmUp.fragments()) {
                writeIn(tx, batch);
            }
            tx.rollback();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        log.info("query plans compiled in {} ms", millis);
        return millis;
    }

    /** Creates the uniqueness constraints and lookup indexes, idempotently; safe for every worker at start-up. */
    public void createSchema() {
        List<String> statements = new ArrayList<>();
        for (String label : IDENTIFIED_LABELS) {
            statements.add("CREATE CONSTRAINT " + label.toLowerCase() + "_id IF NOT EXISTS FOR (n:" + label
                + ") REQUIRE n.id IS UNIQUE");
        }
        statements.add("CREATE CONSTRAINT link_lock_name IF NOT EXISTS FOR (n:" + ReferenceLinker.LOCK_LABEL
            + ") REQUIRE n.name IS UNIQUE");
        statements.add("CREATE INDEX type_binary_name IF NOT EXISTS FOR (n:Type) ON (n.binaryName)");
        statements.add("CREATE INDEX type_fqn IF NOT EXISTS FOR (n:Type) ON (n.fqn)");
        statements.add("CREATE INDEX type_name IF NOT EXISTS FOR (n:Type) ON (n.name)");
        statements.add("CREATE INDEX method_name IF NOT EXISTS FOR (n:Method) ON (n.name)");
        // The call linker finds the calls made on a type again by the type's id (CallLinker.READ_CALLS_ON_*).
        statements.add("CREATE INDEX invokes_owner_type IF NOT EXISTS FOR ()-[r:INVOKES]-() ON (r.ownerType)");
        statements.add("CREATE INDEX file_path IF NOT EXISTS FOR (n:File) ON (n.repo, n.path)");
        try (var session = driver.session(sessionConfig)) {
            for (String statement : statements) {
                session.executeWrite(tx -> tx.run(statement).consume());
            }
            session.run("CALL db.awaitIndexes(300)").consume();
        }
    }

    /**
     * What a write did.
     *
     * @param written      fragments written (their files' subgraphs replaced)
     * @param skippedStale fragments older than what the graph holds for their file
     * @param unchanged    fragments whose file the graph holds with the same content and builder version: not written
     *                     again (unless the writer rewrites unchanged files)
     */
    public record WriteResult(int written, int skippedStale, int unchanged, int deleted, long nodeRows,
                              long relationshipRows) {}

    /**
     * Writes the batch in one transaction.
     *
     * @throws DownstreamUnavailableException Neo4j is unreachable (after the driver's bounded retries)
     * @throws FatalWorkerException           the credentials are refused
     * @throws RuntimeException               anything else: the batch holds a fragment Neo4j refuses (poison)
     */
    public WriteResult write(List<GraphFragment> batch) throws DownstreamUnavailableException {
        List<GraphFragment> fragments = WritePlan.latestPerFile(batch);
        try (var session = driver.session(sessionConfig)) {
            var attempts = new AtomicInteger();
            var lastError = new AtomicReference<String>();
            WriteResult result = session.executeWrite(tx -> {
                if (attempts.incrementAndGet() > 1) {
                    retries.increment();
                }
                try (var timed = statements.timed(tx)) {
                    try {
                        return writeIn(timed, fragments);
                    } catch (Neo4jException e) {
                        lastError.set(e.code() + " in " + timed.current());
                        throw e;
                    }
                }
            });
            if (attempts.get() > 1) {
                log.info("batch of {} fragments written after {} attempts (last error: {})", fragments.size(),
                    attempts.get(), lastError.get());
            }
            return result;
        } catch (ServiceUnavailableException | SessionExpiredException | TransientException e) {
            throw new DownstreamUnavailableException("Neo4j unavailable: " + e.getMessage(), e);
        } catch (SecurityException e) {
            throw new FatalWorkerException("Neo4j refused the credentials: " + e.getMessage(), e);
        }
    }

    private WriteResult writeIn(SimpleQueryRunner tx, List<GraphFragment> fragments) {
        Map<String, FileState> states = new HashMap<>();
        tx.run(READ_STATES, Map.of("ids", fragments.stream().map(GraphFragment::fileId).toList()))
            .forEachRemaining(r -> states.put(r.get("id").asString(), new FileState(
                r.get("version").asLong(0), r.get("sha256").asString(""), r.get("builderVersion").asLong(0))));

        List<GraphFragment> toWrite = new ArrayList<>();
        List<Map<String, Object>> sweeps = new ArrayList<>();
        Set<String> changed = new java.util.HashSet<>(); // written before with other content, or not at all
        List<Map<String, Object>> versions = new ArrayList<>();
        int stale = 0;
        int deleted = 0;
        int unchangedFiles = 0;
        for (GraphFragment fragment : fragments) {
            FileState state = states.get(fragment.fileId());
            if (state != null && state.version() > fragment.version()) {
                stale++;
                continue;
            }
            if (fragment.isTombstone()) {
                if (state != null) {
                    sweeps.add(Map.of("id", fragment.fileId(), "keep", List.of(), "delete", true));
                    deleted++;
                }
                continue;
            }
            boolean unchanged = state != null && state.sha256().equals(fragment.sha256())
                && state.builderVersion() == fragment.builderVersion();
            if (unchanged && !rewriteUnchanged) {
                // Its subgraph and links were committed together with the File's state, by one transaction: writing
                // it again would change nothing (a replay, a duplicate delivery). Only a newer version is recorded,
                // so that an older fragment with other content arriving later is still recognised as stale.
                if (fragment.version() > state.version()) {
                    versions.add(Map.of("id", fragment.fileId(), "version", fragment.version()));
                }
                unchangedFiles++;
                continue;
            }
            if (!unchanged) {
                changed.add(fragment.fileId());
            }
            // Every file written is swept, even one that was not in the graph when its state was read (or whose content
            // did not change, when unchanged files are rewritten): its relationships are written again from the
            // fragment, so none that an earlier write settled otherwise survives. That earlier write may be another
            // writer's of the same fragment, delivered twice while the group rebalanced, committed after this
            // transaction read the states: its nodes are visible by the time the sweep runs (this transaction's
            // MERGEs waited for it).
            List<String> keep = fragment.nodes().stream().filter(n -> !n.shared()).map(n -> n.id()).sorted().toList();
            sweeps.add(Map.of("id", fragment.fileId(), "keep", keep, "delete", false));
            toWrite.add(fragment);
        }
        if (!versions.isEmpty()) {
            tx.run(RECORD_VERSIONS, Map.of("files", versions)).consume();
        }
        sweeps.sort(java.util.Comparator.comparing(m -> (String) m.get("id")));
        WritePlan plan = WritePlan.of(toWrite);
        // Order matters for concurrent writers (docs/design-resolution.md, "Concurrency"): the batch's own nodes
        // first (the shared ones last of all), then the link locks of every simple name the batch references, declares
        // or removes, and only then the reads that settle references across files, so no two writers settle the same
        // name from stale reads.
        ReferenceLinker.NewTypes newTypes = ReferenceLinker.newTypes(tx, toWrite);
        Set<String> newMethodNames = CallLinker.newMethodNames(tx, toWrite);
        for (WritePlan.Statement statement : plan.nodeStatements()) {
            tx.run(statement.cypher(), Map.of("rows", statement.rows())).consume();
        }
        ReferenceLinker.lockNames(tx, sweeps, toWrite);
        ReferenceLinker.Before linking = ReferenceLinker.beforeSweep(tx, sweeps, newTypes);
        CallLinker.Before calls = CallLinker.beforeSweep(tx, sweeps, newMethodNames);
        if (!sweeps.isEmpty()) {
            tx.run(SWEEP, Map.of("files", sweeps)).consume();
        }
        for (WritePlan.Statement statement : plan.relationshipStatements()) {
            tx.run(statement.cypher(), Map.of("rows", statement.rows())).consume();
        }
        ReferenceLinker.Linked types = ReferenceLinker.link(tx, toWrite, linking);
        CallLinker.link(tx, toWrite, calls, newTypes.fqns(), types.movedAway(), types.movedHierarchy());
        OverrideLinker.link(tx, toWrite, changed, types.movedHierarchy());
        // Last, so that the transaction holds the locks of the packages every batch shares only until its commit;
        // the link step reads neither packages nor their relationships.
        for (WritePlan.Statement statement : plan.sharedStatements()) {
            tx.run(statement.cypher(), Map.of("rows", statement.rows())).consume();
        }
        return new WriteResult(toWrite.size(), stale, unchangedFiles, deleted, plan.nodeRows(), plan.relationshipRows());
    }

    private record FileState(long version, String sha256, long builderVersion) {}

    /**
     * Replaces the bulk import's marks with the list values they stand for ({@link BulkImportCsv.LateList}): per kind,
     * one scan of the label or relationship type, in transactions of 10,000 rows.
     *
     * @return how many values were set
     */
    public long setLateLists(Collection<BulkImportCsv.LateList> lateLists) {
        long set = 0;
        try (var session = driver.session(sessionConfig)) {
            for (BulkImportCsv.LateList late : lateLists) {
                // Label, type and property name were checked as identifiers when the files were written.
                String pattern = late.type() == null ? "(e:" + late.label() + ")" : "()-[e:" + late.type() + "]->()";
                String cypher = "MATCH " + pattern + " WHERE e." + late.property() + " = [$mark]"
                    + " CALL (e) { SET e." + late.property() + " = $value } IN TRANSACTIONS OF 10000 ROWS";
                set += session.run(cypher, Map.of("mark", late.mark(), "value", late.value())).consume()
                    .counters().propertiesSet();
            }
        }
        return set;
    }

    /** Runs a read query; for status and tests. */
    public List<Map<String, Object>> read(String cypher, Map<String, Object> params) {
        try (var session = driver.session(sessionConfig)) {
            return session.executeRead(tx -> tx.run(cypher, params).list(r -> r.asMap(Value::asObject)));
        }
    }

    /** The readiness question: does the database answer within the driver's connection timeout. */
    public boolean isReachable() {
        try {
            driver.verifyConnectivity();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Driver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
        log.debug("Neo4j driver closed");
    }
}
