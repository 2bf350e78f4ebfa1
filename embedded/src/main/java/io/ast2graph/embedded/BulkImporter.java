package io.ast2graph.embedded;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Neo4j's own bulk importer, {@code neo4j-admin database import full}, run in this JVM through the admin tool's
 * entry point ({@link AdminTool#execute}) into the folder of an {@link EmbeddedNeo4j} that has no database yet.
 * It writes the store files directly, without transactions, which is why a first load of an empty database goes
 * much faster this way; it cannot add to a database that holds data.
 *
 * <p>Start {@link EmbeddedNeo4j} on the same folder afterwards: it opens the imported database as its default one.
 */
public final class BulkImporter {
    private static final Logger log = LoggerFactory.getLogger(BulkImporter.class);

    /**
     * What to import and with what resources.
     *
     * @param nodeFiles         CSV files of nodes, each with its header line
     * @param relationshipFiles CSV files of relationships, each with its header line
     * @param arrayDelimiter    between the elements of an array value
     * @param idType            what the files' node IDs are ({@code --id-type}): {@code string}, {@code integer}, or
     *                          {@code actual}, the numbers of the nodes in the new store (no ID mapping to do)
     * @param multilineFields   whether a quoted value may span lines (slower to parse)
     * @param threads           the importer's worker threads
     * @param maxOffHeapBytes   the importer's page cache and caches; by default Neo4j takes 90% of free memory
     */
    public record Request(List<Path> nodeFiles, List<Path> relationshipFiles, char arrayDelimiter, String idType,
                          boolean multilineFields, int threads, long maxOffHeapBytes) {
        public Request {
            nodeFiles = List.copyOf(nodeFiles);
            relationshipFiles = List.copyOf(relationshipFiles);
            if (!List.of("string", "integer", "actual").contains(idType)) {
                throw new IllegalArgumentException("the bulk importer's ID types are string, integer and actual, not " + idType);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("the bulk importer needs at least 1 thread, was " + threads);
            }
            if (maxOffHeapBytes < 64L << 20) {
                throw new IllegalArgumentException("the bulk importer needs at least 64 MiB off heap, was " + maxOffHeapBytes);
            }
        }
    }

    private BulkImporter() {}

    /**
     * Imports into the default database of the Neo4j stored under {@code home}.
     *
     * @return the importer's report (what it printed)
     * @throws IllegalStateException the folder holds a database already, or the importer failed (its output says why)
     */
    public static String importInto(Path home, Request request) {
        Path databaseDir = home.toAbsolutePath().resolve("data").resolve("databases")
            .resolve(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (holdsFiles(databaseDir)) {
            throw new IllegalStateException("the bulk importer only writes a new database, and " + databaseDir
                + " holds one already");
        }
        // The database name first: --nodes and --relationships take several files each, and would take it as one.
        List<String> args = new ArrayList<>(List.of("database", "import", "full", GraphDatabaseSettings.DEFAULT_DATABASE_NAME,
            "--array-delimiter=U+%04X".formatted((int) request.arrayDelimiter()),
            "--id-type=" + request.idType(),
            "--threads=" + request.threads(),
            "--max-off-heap-memory=" + request.maxOffHeapBytes(),
            "--multiline-fields=" + request.multilineFields(),
            "--report-file=" + home.toAbsolutePath().resolve("import.report")));
        request.nodeFiles().forEach(f -> args.add("--nodes=" + f.toAbsolutePath()));
        request.relationshipFiles().forEach(f -> args.add("--relationships=" + f.toAbsolutePath()));

        var output = new ByteArrayOutputStream();
        int exit;
        long start = System.nanoTime();
        try (var out = new PrintStream(output, true, StandardCharsets.UTF_8);
             var fs = new DefaultFileSystemAbstraction()) {
            Files.createDirectories(home);
            // No neo4j.conf: the same defaults as the embedded database that opens the result.
            exit = AdminTool.execute(new ExecutionContext(home.toAbsolutePath(), home.toAbsolutePath().resolve("conf"),
                out, out, fs), args.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Neo4j folder " + home, e);
        }
        String report = output.toString(StandardCharsets.UTF_8);
        if (exit != 0) {
            throw new IllegalStateException("neo4j-admin database import full failed (exit " + exit + "):\n" + report);
        }
        log.info("bulk import into {} done in {} ms", databaseDir, (System.nanoTime() - start) / 1_000_000);
        return report;
    }

    private static boolean holdsFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }
}
