package io.ast2graph.common.model;

/** The Kafka record key of a file on every topic: one partition sees every version of one file, in order. */
public final class FileKey {
    private FileKey() {}

    public static String of(String repo, String path) {
        return repo + ":" + path;
    }
}
