package io.ast2graph.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A scan handed to a serve over its socket ({@link ServeClient}, {@link ServeControl}), with a stand-in for the scan. */
class ServeClientTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void onlyAScanThatAServeTakesIsHandedOver() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.createFile(data.resolve(Handoff.SOCKET));
        Map<String, String> env = Map.of();
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir", "data", "src"), env, tmp)).contains(data.resolve(Handoff.SOCKET));
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir=data", "src"), env, tmp)).isPresent();
        assertThat(ServeClient.socketFor(List.of("scan", "src"), Map.of("AST2GRAPH_DATA_DIR", data.toString()), tmp)).isPresent();
        // The default folder has no socket.
        assertThat(ServeClient.socketFor(List.of("scan", "src"), env, tmp)).isEmpty();
        // Not a scan, help, a cluster, a password prompt, or handoffs turned off: this process answers.
        assertThat(ServeClient.socketFor(List.of("status", "--data-dir", "data"), env, tmp)).isEmpty();
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir", "data", "--help"), env, tmp)).isEmpty();
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir", "data", "--bootstrap-servers=k:9092", "src"), env, tmp)).isEmpty();
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir", "data", "--neo4j-password", "src"), env, tmp)).isEmpty();
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir", "data", "src"),
            Map.of("AST2GRAPH_BOOTSTRAP_SERVERS", "k:9092"), tmp)).isEmpty();
        assertThat(ServeClient.socketFor(List.of("scan", "--data-dir", "data", "src"),
            Map.of("AST2GRAPH_NO_HANDOFF", "1"), tmp)).isEmpty();
    }

    @Test
    void theServeRunsTheCommandAndItsOutputAndExitCodeComeBack() throws Exception {
        var seen = new AtomicReference<Handoff.Request>();
        try (var control = ServeControl.listen(tmp, (request, out, err) -> {
            seen.set(request);
            out.println("summary of " + request.args().getLast());
            err.print("a log line\n");
            out.write(new byte[200_000], 0, 200_000); // more than one frame's buffer
            return 2;
        }, Handoff.build())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(Handoff.SOCKET))))
                .isEqualTo("rw-------");
            OptionalInt exit = handOff(List.of("scan", "--data-dir", tmp.toString(), "src"),
                Map.of("AST2GRAPH_TOPIC_PREFIX", "p", "HOME", "/root"));
            assertThat(exit).hasValue(2);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("summary of src\n");
        assertThat(out.size()).isEqualTo("summary of src\n".length() + 200_000);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("a log line\n");
        assertThat(seen.get().cwd()).isEqualTo(tmp);
        assertThat(seen.get().columns()).isEqualTo(120);
        // Only what ast2graph reads goes over.
        assertThat(seen.get().env()).isEqualTo(Map.of("AST2GRAPH_TOPIC_PREFIX", "p"));
        assertThat(tmp.resolve(Handoff.SOCKET)).doesNotExist();
    }

    @Test
    void aServeOfAnotherBuildRefusesAndTheCommandRunsTheScanItself() throws Exception {
        try (var control = ServeControl.listen(tmp, (request, out, err) -> 0, "another build")) {
            assertThat(handOff(List.of("scan", "--data-dir", tmp.toString(), "src"), Map.of())).isEmpty();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the serve did not take the scan (it runs another build");
    }

    @Test
    void aSocketNobodyListensOnIsIgnored() throws Exception {
        // A serve killed outright leaves its socket file behind: connecting to it is refused.
        Path stale = Files.createDirectories(tmp.resolve("stale"));
        try (var server = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(stale.resolve(Handoff.SOCKET)));
        }
        assertThat(stale.resolve(Handoff.SOCKET)).exists();
        assertThat(handOff(List.of("scan", "--data-dir", stale.toString(), "src"), Map.of())).isEmpty();
    }

    @Test
    void aCommandThatHangsUpInterruptsItsScan() throws Exception {
        var started = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        try (var control = ServeControl.listen(tmp, (request, out, err) -> {
            started.countDown();
            try {
                // Blocks until interrupted: nothing counts this down.
                new CountDownLatch(1).await();
                return 0;
            } catch (InterruptedException e) {
                interrupted.countDown();
                return 130;
            }
        }, Handoff.build())) {
            try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(tmp.resolve(Handoff.SOCKET)));
                new Handoff.Request(Handoff.build(), tmp, false, 0, 0, List.of("scan", "src"), Map.of())
                    .writeTo(new DataOutputStream(new BufferedOutputStream(Handoff.output(channel))));
                ByteBuffer answer = ByteBuffer.allocate(1);
                channel.read(answer);
                assertThat(answer.get(0)).isEqualTo(Handoff.ACCEPTED);
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the scan was interrupted").isTrue();
        }
    }

    @Test
    void aServeThatStopsEndsTheScansItRunsAndTheirCommandsAreTold() throws Exception {
        var started = new CountDownLatch(1);
        var control = ServeControl.listen(tmp, (request, out, err) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // until interrupted
                return 0;
            } catch (InterruptedException e) {
                err.println("stopped");
                return 1;
            }
        }, Handoff.build());
        var exit = new AtomicReference<OptionalInt>();
        Thread command = Thread.ofPlatform().start(() -> exit.set(handOff(List.of("scan", "--data-dir", tmp.toString(), "src"), Map.of())));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        control.close();
        command.join(10_000);
        assertThat(exit.get()).hasValue(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stopped");
    }

    @Command(name = "demo")
    static final class Demo {
        @Option(names = "--prefix", defaultValue = "${env:DEMO_PREFIX:-ast2graph}") String prefix;
        @Option(names = "--servers", defaultValue = "${env:DEMO_SERVERS}") String servers;
        @Option(names = "--port", defaultValue = "${env:DEMO_PORT:-0}") int port;
        @Option(names = "--size", defaultValue = "4m") String size;
    }

    @Test
    void optionDefaultsComeFromTheCommandsEnvironmentNotTheServes() {
        var demo = new Demo();
        new CommandLine(demo).setInterpolateVariables(false)
            .setDefaultValueProvider(new Main.EnvironmentDefaults(Map.of("DEMO_PORT", "9404"))).parseArgs();
        assertThat(demo.prefix).isEqualTo("ast2graph");
        assertThat(demo.servers).isEmpty();
        assertThat(demo.port).isEqualTo(9404);
        assertThat(demo.size).isEqualTo("4m");
    }

    private OptionalInt handOff(List<String> args, Map<String, String> env) {
        return ServeClient.handOff(args, env, tmp, false, 120, System.currentTimeMillis(), out, err);
    }
}
