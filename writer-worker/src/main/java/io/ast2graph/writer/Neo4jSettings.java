package io.ast2graph.writer;

import java.util.Objects;

/**
 * How to reach Neo4j. The password never appears in {@link #toString()}, so it cannot leak into a log line.
 *
 * @param database the database name; empty for the server's default database
 */
public record Neo4jSettings(String uri, String user, String password, String database) {
    public Neo4jSettings {
        Objects.requireNonNull(uri, "uri");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        database = database == null ? "" : database;
    }

    public static Neo4jSettings noAuth(String uri) {
        return new Neo4jSettings(uri, "", "", "");
    }

    @Override
    public String toString() {
        return "Neo4jSettings[uri=" + uri + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***")
            + ", database=" + database + "]";
    }
}
