package io.ast2graph.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may open the embedded stores of a data folder. Every command that starts embedded servers there first
 * {@link #claim}s it: either it gets the folder's lock ({@link Owned}) and may start them, or a running
 * {@code ast2graph serve} holds the lock and wrote its {@link ServeFile} ({@link Served}), and the command uses that
 * serve's servers instead. Anything else holding the lock (an embedded scan, a serve still starting) is an error the
 * user can act on: the stores cannot be opened twice, and trying would fail deep inside Kafka or Neo4j.
 *
 * <p>The lock is an OS file lock on {@code ast2graph.lock}: it goes with the process that holds it, however that
 * process ends, so a serve file left by a serve killed outright is recognized as stale (lock free) and removed.
 */
final class DataDir {
    private static final Logger log = LoggerFactory.getLogger(DataDir.class);
    static final String LOCK = "ast2graph.lock";

    private DataDir() {}

    /** What a command may do with a data folder. */
    sealed interface Claim permits Owned, Served {}

    /** This process holds the folder's lock and may start the embedded servers there; closing releases it. */
    static final class Owned implements Claim, AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;
        private final Path lockFile;

        private Owned(FileChannel channel, FileLock lock, Path lockFile) {
            this.channel = channel;
            this.lock = lock;
            this.lockFile = lockFile;
        }

        @Override
        public void close() throws IOException {
            synchronized (DataDir.class) {
                try {
                    lock.release();
                } finally {
                    HELD.remove(lockFile);
                    channel.close();
                }
            }
        }
    }

    /**
     * The lock files this JVM holds (real paths). POSIX file locks belong to the process, and closing <em>any</em>
     * channel on the file releases them: a claim in the process that holds the folder (a serve running the scans
     * handed to it) must not open one, or the serve would lose its lock to the first scan and the next command would
     * open the stores under it.
     */
    private static final Set<Path> HELD = new HashSet<>();

    /** A serve runs on the folder: its servers are the ones to use. */
    record Served(ServeFile serve) implements Claim {}

    /**
     * Takes the folder's lock, or finds the serve that holds it.
     *
     * @throws IllegalArgumentException if another process holds the folder and is not a serve that can be used
     * @throws IOException              if the folder or its lock file cannot be created
     */
    static synchronized Claim claim(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LOCK);
        if (Files.exists(lockFile) && HELD.contains(lockFile.toRealPath())) {
            return servedOrBusy(dir, lockFile);
        }
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // This very JVM holds it through another path to the same file (HELD knows real paths, so hardly ever).
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock != null) {
            try {
                // The holder's pid, for the message another process prints when it finds the folder busy.
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                removeStaleServeFile(dir);
            } catch (IOException | RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
            Path real = lockFile.toRealPath();
            HELD.add(real);
            return new Owned(channel, lock, real);
        }
        channel.close();
        return servedOrBusy(dir, lockFile);
    }

    /** The folder is held by another process, or by this one: a serve to use, or an error. */
    private static Claim servedOrBusy(Path dir, Path lockFile) {
        Optional<ServeFile> serve;
        try {
            serve = ServeFile.read(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--data-dir " + dir + " is in use by another ast2graph process ("
                + holder(lockFile) + "), and " + e.getMessage() + "; stop that process, or give another --data-dir", e);
        }
        if (serve.isPresent() && serve.get().processAlive()) {
            return new Served(serve.get());
        }
        throw new IllegalArgumentException("--data-dir " + dir + " is in use by another ast2graph process ("
            + holder(lockFile) + "): a scan, query or rebuild with its own embedded servers, or a serve still starting. "
            + "Its stores cannot be opened twice: wait for it, or give another --data-dir.");
    }

    /** A serve file while nobody holds the lock: its serve ended without removing it (killed, or the machine stopped). */
    private static void removeStaleServeFile(Path dir) throws IOException {
        String what;
        try {
            what = ServeFile.read(dir).map(ServeFile::describe).orElse(null);
        } catch (IOException e) {
            what = e.getMessage();
        }
        if (what != null) {
            ServeFile.delete(dir);
            log.info("removed the serve file of a serve that is gone ({})", what);
        }
    }

    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return pid.isEmpty() ? "pid unknown" : "pid " + pid;
        } catch (IOException e) {
            return "pid unknown";
        }
    }
}
