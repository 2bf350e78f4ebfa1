package io.ast2graph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ast2graph.common.model.GraphFragment;
import io.ast2graph.embedded.BulkImporter;
import io.ast2graph.embedded.EmbeddedNeo4j;
import io.ast2graph.parser.FragmentBuilder;
import io.ast2graph.writer.BulkImportCsv;
import io.ast2graph.writer.GraphFingerprint;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The link step's promise on a real corpus (the JDK's {@code java.util.concurrent} sources, ~250 files that reference
 * each other across files and packages): the graph does not depend on the order or the grouping in which fragments
 * arrive, nor on two writers linking at the same time, nor on whether the first load went through the bulk importer
 * (whose link step runs in memory, {@code ImportedLinks}). On a difference the test prints the lines that differ.
 */
class LinkOrderIT {
    @TempDir
    static Path tmp;
    static List<GraphFragment> fragments;
    static Neo4jGraphWriter writer;
    /** The graph of every fragment written in one batch, once per test JVM. */
    private static List<String> oneBatch;

    @BeforeAll
    static void build() throws Exception {
        Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        Path root = JavaBaseTypesIT.unzipModule(srcZip, "java.base/java/util/concurrent/", tmp);
        FragmentBuilder builder = new FragmentBuilder();
        fragments = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String path = tmp.relativize(file).toString().replace('\\', '/');
                fragments.add(builder.build("order", "jdk", path, "sha-" + path.hashCode(), 1, Files.readAllBytes(file)));
            }
        }
        writer = DirectWriter.open(Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private static List<String> writeInBatches(List<GraphFragment> order, int batchSize, int threads) throws Exception {
        DirectWriter.wipe(writer);
        List<List<GraphFragment>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            batches.add(order.subList(i, Math.min(order.size(), i + batchSize)));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (List<GraphFragment> batch : batches) {
                done.add(pool.submit(() -> {
                    writer.write(batch);
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }
        return DirectWriter.lines(writer);
    }

    private static synchronized List<String> oneBatch() throws Exception {
        if (oneBatch == null) {
            oneBatch = writeInBatches(fragments, fragments.size(), 1);
        }
        return oneBatch;
    }

    @Test
    void theGraphIsTheSameWhateverTheOrderGroupingAndConcurrencyOfTheWrites() throws Exception {
        List<String> oneBatch = oneBatch();
        assertThat(oneBatch).hasSizeGreaterThan(fragments.size() * 10);

        List<GraphFragment> reversed = new ArrayList<>(fragments);
        Collections.reverse(reversed);
        GraphDiff.assertSameGraph("reversed, batches of 7", oneBatch, writeInBatches(reversed, 7, 1));

        List<GraphFragment> shuffled = new ArrayList<>(fragments);
        Collections.shuffle(shuffled, new Random(42));
        GraphDiff.assertSameGraph("shuffled, batches of 5 on 4 threads", oneBatch, writeInBatches(shuffled, 5, 4));
    }

    @Test
    void aFirstLoadThroughTheBulkImporterLeavesTheWritersGraph() throws Exception {
        List<String> written = oneBatch();
        assertThat(written).anySatisfy(line -> assertThat(line).contains("resolution=inherited"));

        BulkImportCsv.Input input = BulkImportCsv.write(fragments, tmp.resolve("bulk-csv"));
        Path home = tmp.resolve("bulk-neo4j");
        BulkImporter.importInto(home, new BulkImporter.Request(input.nodeFiles(), input.relationshipFiles(),
            BulkImportCsv.ARRAY_DELIMITER, input.idType(), input.multilineFields(), 2, 256L << 20));
        try (var imported = EmbeddedNeo4j.start(home, 0, 64L << 20);
             var bulk = new Neo4jGraphWriter(Neo4jGraphWriter.connect(Neo4jSettings.noAuth(imported.boltUri()),
                 Duration.ofSeconds(60)), "")) {
            bulk.createSchema();
            assertThat(bulk.setLateLists(input.lateLists())).isEqualTo(input.lateValues());
            GraphDiff.assertSameGraph("bulk importer vs one batch", written,
                GraphFingerprint.lines(bulk.driver(), "", GraphFingerprint.BOOKKEEPING));
        }
    }
}
