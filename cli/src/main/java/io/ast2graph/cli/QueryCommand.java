package io.ast2graph.cli;

import io.ast2graph.common.json.Json;
import io.ast2graph.embedded.EmbeddedNeo4j;
import io.ast2graph.writer.Neo4jGraphWriter;
import io.ast2graph.writer.Neo4jSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ast2graph query "CYPHER"}: runs a read query against the embedded or a remote graph and prints the rows. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Run a read-only Cypher query against the graph and print the result.")
final class QueryCommand implements Callable<Integer> {
    enum Format { table, csv, json }

    @Parameters(paramLabel = "CYPHER", description = "The query, e.g. \"MATCH (t:Type) RETURN t.binaryName LIMIT 5\".")
    String cypher;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A query parameter (repeatable), as a string.")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin Neo4jOptions neo4jOptions;
    @Mixin EmbeddedOptions embeddedOptions;

    private final PrintStream out;

    QueryCommand() {
        this(System.out);
    }

    QueryCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws java.io.IOException {
        if (neo4jOptions.isSet()) {
            return run(neo4jOptions.settings());
        }
        if (!Files.isDirectory(embeddedOptions.dataDir.resolve("neo4j"))) {
            throw new IllegalArgumentException("no graph in --data-dir " + embeddedOptions.dataDir.toAbsolutePath()
                + ": run 'ast2graph scan DIR' first, or name a server with --neo4j-uri");
        }
        switch (DataDir.claim(embeddedOptions.dataDir)) {
            case DataDir.Served served -> {
                return run(Neo4jSettings.noAuth(served.serve().boltUri()));
            }
            case DataDir.Owned owned -> {
                try (owned; EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(embeddedOptions.dataDir.resolve("neo4j"),
                    embeddedOptions.boltPort, embeddedOptions.pageCacheBytes())) {
                    return run(Neo4jSettings.noAuth(neo4j.boltUri()));
                }
            }
        }
    }

    private int run(Neo4jSettings settings) {
        try (var writer = new Neo4jGraphWriter(Neo4jGraphWriter.connect(settings, Duration.ofSeconds(10)), settings.database())) {
            List<Map<String, Object>> rows = writer.read(cypher, new LinkedHashMap<>(params));
            List<String> columns = rows.isEmpty() ? List.of() : new ArrayList<>(rows.getFirst().keySet());
            switch (format) {
                case csv -> printCsv(columns, rows);
                case json -> out.println(Json.writeString(rows));
                case table -> printTable(columns, rows);
            }
        }
        return 0;
    }

    private void printCsv(List<String> columns, List<Map<String, Object>> rows) {
        out.println(String.join(",", columns.stream().map(QueryCommand::csvCell).toList()));
        for (Map<String, Object> row : rows) {
            out.println(String.join(",", columns.stream().map(c -> csvCell(text(row.get(c)))).toList()));
        }
    }

    private static String csvCell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private void printTable(List<String> columns, List<Map<String, Object>> rows) {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (Map<String, Object> row : rows) {
                widths[i] = Math.max(widths[i], Math.min(80, text(row.get(columns.get(i))).length()));
            }
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            header.append(i == 0 ? "" : " | ").append(pad(columns.get(i), widths[i]));
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(header);
        out.println(rule);
        for (Map<String, Object> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                line.append(i == 0 ? "" : " | ").append(pad(text(row.get(columns.get(i))), widths[i]));
            }
            out.println(line);
        }
        out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
    }

    private static String pad(String s, int width) {
        String cut = s.length() > width ? s.substring(0, width - 1) + "…" : s;
        return cut + " ".repeat(Math.max(0, width - cut.length()));
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return Json.writeString(value);
        }
        return String.valueOf(value);
    }
}
