package io.ast2graph.cli;

import io.ast2graph.common.json.Json;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code serve.json} in a data folder: where the {@code ast2graph serve} running on it can be reached. Written once
 * everything is up (atomically: a reader sees the whole file or none), deleted on shutdown. A serve killed outright
 * leaves it behind, so a reader trusts it only while {@link DataDir} finds the folder's lock held and the process
 * alive.
 *
 * @param pid                 the serve's process
 * @param processStartMillis  when that process started, or 0 if the OS does not say; tells a recycled pid apart
 * @param startedMillis       when the serve was up
 * @param bootstrapServers    the embedded broker, e.g. {@code localhost:40123}
 * @param boltUri             the embedded Neo4j, e.g. {@code bolt://localhost:7687}
 * @param topicPrefix         the prefix of the topics its workers consume
 */
record ServeFile(long pid, long processStartMillis, long startedMillis, String bootstrapServers, String boltUri,
                 String topicPrefix) {
    static final String NAME = "serve.json";

    ServeFile {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(boltUri, "boltUri");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
    }

    /** The file this process writes, once its servers answer at these addresses. */
    static ServeFile ofThisProcess(String bootstrapServers, String boltUri, String topicPrefix) {
        ProcessHandle self = ProcessHandle.current();
        return new ServeFile(self.pid(), startMillis(self).orElse(0L), System.currentTimeMillis(), bootstrapServers,
            boltUri, topicPrefix);
    }

    /** Whether the process that wrote this file still runs (and is the same process, not a recycled pid). */
    boolean processAlive() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Long> started = startMillis(process.get());
        // The OS reports start times rounded (to clock ticks, or seconds): only a clear difference means another process.
        return processStartMillis == 0 || started.isEmpty() || Math.abs(started.get() - processStartMillis) < 2_000;
    }

    /** How a user recognizes this serve in a message. */
    String describe() {
        return "pid " + pid + ", up since " + Instant.ofEpochMilli(startedMillis) + ", Kafka " + bootstrapServers
            + ", Bolt " + boltUri;
    }

    static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /**
     * Writes the file through a temporary one and a rename, so that a reader never sees half of it.
     *
     * @throws IOException if it cannot be written; the serve then cannot be found, so it should not go on
     */
    void write(Path dataDir) throws IOException {
        Path target = path(dataDir);
        Path temporary = dataDir.resolve(NAME + ".tmp");
        Files.write(temporary, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads the file.
     *
     * @return empty if there is none
     * @throws IOException if it exists but cannot be read or is not a serve file
     */
    static Optional<ServeFile> read(Path dataDir) throws IOException {
        Path file = path(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(file), ServeFile.class));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a serve file: " + e.getMessage(), e);
        }
    }

    /** @return whether there was a file to delete */
    static boolean delete(Path dataDir) throws IOException {
        return Files.deleteIfExists(path(dataDir));
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }
}
