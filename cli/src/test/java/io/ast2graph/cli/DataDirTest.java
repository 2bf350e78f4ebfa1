package io.ast2graph.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a command finds out whether it may open a data folder's stores or must use the serve running on it: the
 * folder's lock decides, the serve file only says where the serve is.
 */
class DataDirTest {
    @TempDir
    Path dataDir;

    @Test
    void aServeFileOfADeadProcessWithTheLockFreeIsIgnoredAndRemoved() throws Exception {
        new ServeFile(deadPid(), 0, 1, "localhost:1", "bolt://localhost:2", "ast2graph").write(dataDir);

        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            assertThat(ServeFile.path(dataDir)).doesNotExist();
        }
    }

    @Test
    void aBrokenServeFileWithTheLockFreeIsIgnoredAndRemoved() throws Exception {
        Files.writeString(ServeFile.path(dataDir), "{\"pid\": 12, \"bootstr");

        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            assertThat(ServeFile.path(dataDir)).doesNotExist();
        }
    }

    @Test
    void aLiveServeHoldingTheLockIsFoundWithItsAddresses() throws Exception {
        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            ServeFile.ofThisProcess("localhost:9092", "bolt://localhost:7687", "pre").write(dataDir);
            assertThat(dataDir.resolve(ServeFile.NAME + ".tmp")).doesNotExist();

            var served = (DataDir.Served) DataDir.claim(dataDir);

            assertThat(served.serve().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(served.serve().bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(served.serve().boltUri()).isEqualTo("bolt://localhost:7687");
            assertThat(served.serve().topicPrefix()).isEqualTo("pre");
        }
    }

    @Test
    void aClaimInTheProcessThatHoldsTheFolderDoesNotReleaseItsLock() throws Exception {
        // A serve runs the scans handed to it, and each claims the folder: POSIX locks belong to the process, and
        // closing any channel on the lock file would release the serve's, leaving the stores open to a second process.
        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            ServeFile.ofThisProcess("localhost:9092", "bolt://localhost:7687", "pre").write(dataDir);
            for (int i = 0; i < 3; i++) {
                assertThat(DataDir.claim(dataDir)).isInstanceOf(DataDir.Served.class);
            }
            assertThat(probeLock()).isEqualTo("held");
        }
        assertThat(probeLock()).isEqualTo("free");
    }

    /** Whether another process can take the folder's lock. */
    private String probeLock() throws Exception {
        Path probe = dataDir.resolve("probe/ProbeLock.java");
        Files.createDirectories(probe.getParent());
        Files.writeString(probe, """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            class ProbeLock {
                public static void main(String[] args) throws Exception {
                    try (var channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                        System.out.println(channel.tryLock() == null ? "held" : "free");
                    }
                }
            }
            """);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, probe.toString(), dataDir.resolve(DataDir.LOCK).toString())
            .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aHeldFolderWithoutAServeFileIsAnErrorNamingTheHolder() throws Exception {
        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            assertThatThrownBy(() -> DataDir.claim(dataDir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is in use by another ast2graph process (pid " + ProcessHandle.current().pid() + ")")
                .hasMessageContaining("give another --data-dir");
        }
        // Released: the folder can be claimed again.
        try (var again = (DataDir.Owned) DataDir.claim(dataDir)) {
            assertThat(dataDir.resolve(DataDir.LOCK)).exists();
        }
    }

    @Test
    void aHeldFolderWhoseServeFileNamesADeadProcessIsAnErrorNotAServe() throws Exception {
        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            new ServeFile(deadPid(), 0, 1, "localhost:1", "bolt://localhost:2", "ast2graph").write(dataDir);

            assertThatThrownBy(() -> DataDir.claim(dataDir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is in use by another ast2graph process");
        }
    }

    @Test
    void aHeldFolderWithABrokenServeFileIsAnErrorThatSaysSo() throws Exception {
        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            Files.writeString(ServeFile.path(dataDir), "not json");

            assertThatThrownBy(() -> DataDir.claim(dataDir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a serve file");
        }
    }

    @Test
    void aServeKilledOutrightLeavesItsFileStaleAndTheFolderFree() throws Exception {
        // Another JVM takes the lock, as a serve does, and writes its serve file.
        Path holder = dataDir.resolve("holder/HoldLock.java");
        Files.createDirectories(holder.getParent());
        Files.writeString(holder, """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            class HoldLock {
                public static void main(String[] args) throws Exception {
                    var channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var lock = channel.lock();
                    System.out.println("locked");
                    System.in.read(); // holds the lock until killed, or until the test's end of the pipe closes
                }
            }
            """);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, holder.toString(), dataDir.resolve(DataDir.LOCK).toString())
            .redirectErrorStream(true).start();
        try {
            var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo("locked");
            long startMillis = process.info().startInstant().orElseThrow().toEpochMilli();
            new ServeFile(process.pid(), startMillis, startMillis, "localhost:1", "bolt://localhost:2", "ast2graph").write(dataDir);

            assertThat(DataDir.claim(dataDir)).isInstanceOf(DataDir.Served.class);
        } finally {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (var owned = (DataDir.Owned) DataDir.claim(dataDir)) {
            assertThat(ServeFile.path(dataDir)).doesNotExist();
        }
    }

    @Test
    void aRecycledPidIsNotTheServeThatWroteTheFile() {
        long hourAgo = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() - 3_600_000;
        var file = new ServeFile(ProcessHandle.current().pid(), hourAgo, hourAgo, "localhost:1", "bolt://localhost:2", "p");

        assertThat(file.processAlive()).isFalse();
        assertThat(ServeFile.ofThisProcess("localhost:1", "bolt://localhost:2", "p").processAlive()).isTrue();
    }

    private static long deadPid() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.pid();
    }
}
