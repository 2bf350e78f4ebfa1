package io.ast2graph.writer;

import io.ast2graph.embedded.testing.SharedServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.summary.Plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The link locks' two modes against a real Neo4j: a batch that only references a name takes it shared, so writers
 * that reference the same names (every batch references {@code String}) do not wait for each other, while one that
 * declares or removes a type of that name takes it exclusive and waits for, and holds off, every other holder.
 */
class LinkLockIT {
    static Driver driver;

    @BeforeAll
    static void connect() {
        driver = Neo4jGraphWriter.connect(Neo4jSettings.noAuth(SharedServers.neo4j().boltUri()), Duration.ofSeconds(10));
        new Neo4jGraphWriter(driver, "").createSchema();
    }

    @AfterAll
    static void close() {
        driver.close();
    }

    /** Runs the lock in a transaction of its own thread; the future completes once the locks are held. */
    private static CompletableFuture<Transaction> lockIn(Set<String> shared, Set<String> exclusive) {
        return CompletableFuture.supplyAsync(() -> {
            Transaction tx = driver.session().beginTransaction();
            ReferenceLinker.lock(tx, shared, exclusive);
            return tx;
        });
    }

    private static boolean waits(CompletableFuture<Transaction> lock) {
        try {
            lock.get(1500, TimeUnit.MILLISECONDS);
            return false;
        } catch (java.util.concurrent.TimeoutException e) {
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Transaction held(CompletableFuture<Transaction> lock) throws Exception {
        return lock.get(10, TimeUnit.SECONDS);
    }

    @Test
    void sharedHoldersDoNotWaitForEachOther() throws Exception {
        held(lockIn(Set.of(), Set.of("Shared1"))).commit(); // the lock node exists, as after any earlier batch
        Transaction first = held(lockIn(Set.of("Shared1", "Other1"), Set.of()));
        CompletableFuture<Transaction> second = lockIn(Set.of("Shared1"), Set.of());
        assertThat(waits(second)).as("a second shared holder waits").isFalse();
        first.commit();
        held(second).commit();
    }

    @Test
    void exclusiveWaitsForSharedHoldersAndHoldsOffNewOnes() throws Exception {
        held(lockIn(Set.of(), Set.of("Name2"))).commit();
        Transaction reader = held(lockIn(Set.of("Name2"), Set.of()));
        CompletableFuture<Transaction> declarer = lockIn(Set.of(), Set.of("Name2"));
        assertThat(waits(declarer)).as("the declarer waits for the reader").isTrue();
        reader.commit();
        Transaction declaring = held(declarer);

        CompletableFuture<Transaction> laterReader = lockIn(Set.of("Name2"), Set.of());
        assertThat(waits(laterReader)).as("a reader waits for the declarer").isTrue();
        declaring.commit();
        held(laterReader).commit();
    }

    @Test
    void exclusiveHoldersQueue() throws Exception {
        Transaction first = held(lockIn(Set.of(), Set.of("Name3"))); // creates the lock node
        CompletableFuture<Transaction> second = lockIn(Set.of(), Set.of("Name3"));
        assertThat(waits(second)).as("a second declarer waits").isTrue();
        first.commit();
        held(second).commit();
        assertThat(driver.executableQuery("MATCH (l:LinkLock {name: 'Name3'}) RETURN count(l) AS n").execute()
            .records().getFirst().get("n").asLong()).isEqualTo(1);
    }

    /**
     * The rows are locked one after the other, in their order: every row's work runs in the right-hand side of one
     * {@code SubqueryForeach} over the unwound rows, so an {@code Eager} operator there buffers one row's work only.
     * One above it would take every row's shared locks before any exclusive one (or the reverse), and two writers
     * could then deadlock on names each locks in the other mode.
     */
    @Test
    void theLockStatementTakesItsRowsInOrder() {
        Plan plan = driver.executableQuery("EXPLAIN " + ReferenceLinker.LOCK_NAMES)
            .withParameters(Map.of("rows", List.of())).execute().summary().plan();
        while (!plan.operatorType().startsWith("SubqueryForeach")) {
            assertThat(plan.operatorType()).doesNotStartWith("Eager");
            assertThat(plan.children()).hasSize(1);
            plan = plan.children().getFirst();
        }
        Plan rows = plan.children().getFirst();
        assertThat(rows.operatorType()).startsWith("Unwind");
        assertThat(rows.children()).isEmpty();
    }

    @Test
    void lockingLeavesTheLockNodesAsTheyWere() throws Exception {
        held(lockIn(Set.of("Name4"), Set.of("Name5"))).commit();
        held(lockIn(Set.of("Name5"), Set.of("Name4"))).commit();
        List<String> names = driver.executableQuery(
                "MATCH (l:LinkLock) WHERE l.name IN ['Name4', 'Name5'] RETURN l.name AS name ORDER BY name").execute()
            .records().stream().map(r -> r.get("name").asString()).toList();
        assertThat(names).containsExactly("Name4", "Name5");
    }
}
