package io.ast2graph.cli;

import io.ast2graph.writer.Neo4jSettings;
import picocli.CommandLine.Option;

/** Where Neo4j is; flags override the environment. The password is never logged. */
final class Neo4jOptions {
    @Option(names = "--neo4j-uri", defaultValue = "${env:NEO4J_URI}",
        description = "Neo4j URI, e.g. neo4j://host:7687. Env: NEO4J_URI. Without it, an embedded database is used.")
    String uri;

    @Option(names = "--neo4j-user", defaultValue = "${env:NEO4J_USER:-neo4j}",
        description = "Neo4j user (default: ${DEFAULT-VALUE}). Env: NEO4J_USER.")
    String user;

    @Option(names = "--neo4j-password", defaultValue = "${env:NEO4J_PASSWORD}", arity = "0..1", interactive = true,
        description = "Neo4j password; give the flag alone to be prompted. Env: NEO4J_PASSWORD.")
    String password;

    @Option(names = "--neo4j-database", defaultValue = "${env:NEO4J_DATABASE}",
        description = "Neo4j database (default: the server's default). Env: NEO4J_DATABASE.")
    String database;

    boolean isSet() {
        return uri != null && !uri.isBlank();
    }

    Neo4jSettings settings() {
        return settings(uri);
    }

    Neo4jSettings settings(String uriOverride) {
        boolean auth = password != null && !password.isEmpty();
        return new Neo4jSettings(uriOverride, auth ? user : "", auth ? password : "", database);
    }
}
