package io.ast2graph.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Hands a {@code scan} to the {@code ast2graph serve} of its data folder, which walks, hashes, publishes and waits in
 * its warm JVM and streams the scan's output back: a rescan then costs this process little more than the JVM's start
 * (it loads none of the scan's classes), where running the scan here would first load and warm up Kafka's clients,
 * the walker and the driver. Without a serve, or with one that refuses, the command runs the scan itself (and still
 * publishes to a serve it finds); {@code AST2GRAPH_NO_HANDOFF=1} always does.
 *
 * <p>Hand-written over a Unix socket rather than HTTP: the JDK's HTTP client and server would cost the start they
 * save, and a socket file in the data folder, readable by its owner only, lets no other user run scans as the serve.
 */
final class ServeClient {
    /** Flags this process must answer itself, or that point the scan elsewhere than the serve. */
    private static final Set<String> LOCAL_FLAGS = Set.of("-h", "--help", "-V", "--version", "--bootstrap-servers",
        "--neo4j-password");

    private ServeClient() {}

    /** Hands the command to the serve if it is a scan that one takes; this process's streams and environment. */
    static OptionalInt handOff(String[] args) {
        long start = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
            .orElse(System.currentTimeMillis());
        String columns = System.getenv("COLUMNS");
        return handOff(List.of(args), System.getenv(), Path.of("").toAbsolutePath(), Terminal.isInteractive(),
            columns != null && columns.matches("\\d{1,4}") ? Integer.parseInt(columns) : 0, start, System.out, System.err);
    }

    /**
     * @return the scan's exit code, or empty if no serve took it (none runs, it runs another build, or the command
     *         is not a scan it takes): the caller runs the command itself
     */
    static OptionalInt handOff(List<String> args, Map<String, String> env, Path cwd, boolean terminal, int columns,
                               long startMillis, OutputStream out, OutputStream err) {
        Optional<Path> socket = socketFor(args, env, cwd);
        if (socket.isEmpty()) {
            return OptionalInt.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException | UnsupportedOperationException e) {
            return OptionalInt.empty();
        }
        try (channel) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket.get()));
            } catch (IOException | RuntimeException e) {
                // A socket file left by a serve that was killed (nobody listens), or a path too long for a socket
                // address: the scan in this process finds out about the serve itself.
                return OptionalInt.empty();
            }
            var request = new Handoff.Request(Handoff.build(), cwd, terminal, columns, startMillis, args,
                Handoff.forwardedEnv(env));
            var in = new DataInputStream(new BufferedInputStream(Handoff.input(channel), 1 << 16));
            byte answer;
            try {
                request.writeTo(new DataOutputStream(new BufferedOutputStream(Handoff.output(channel))));
                answer = in.readByte();
                if (answer == Handoff.REFUSED) {
                    String reason = in.readUTF();
                    new PrintStream(err, true, StandardCharsets.UTF_8)
                        .println("ast2graph: the serve did not take the scan (" + reason + "); running it in this process");
                    return OptionalInt.empty();
                }
            } catch (IOException e) {
                return OptionalInt.empty();
            }
            if (answer != Handoff.ACCEPTED) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(relay(in, out, err));
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** Copies the serve's frames to this process's streams until the exit code comes. */
    private static int relay(DataInputStream in, OutputStream out, OutputStream err) {
        byte[] buffer = new byte[1 << 16];
        try {
            while (true) {
                byte kind = in.readByte();
                if (kind == Handoff.EXIT) {
                    return in.readInt();
                }
                int length = in.readInt();
                OutputStream target = kind == Handoff.OUT ? out : err;
                while (length > 0) {
                    int n = in.read(buffer, 0, Math.min(buffer.length, length));
                    if (n < 0) {
                        throw new EOFException();
                    }
                    target.write(buffer, 0, n);
                    length -= n;
                }
                target.flush();
            }
        } catch (IOException e) {
            new PrintStream(err, true, StandardCharsets.UTF_8).println("ast2graph: the serve went away before the scan "
                + "finished (" + (e instanceof EOFException ? "connection closed" : e.getMessage())
                + "); scan again once it is back, or without it");
            return 1;
        }
    }

    /**
     * The serve's socket for this command line, if it is a scan a serve takes and the data folder has one: a scan
     * with none of {@link #LOCAL_FLAGS}, no cluster in {@code AST2GRAPH_BOOTSTRAP_SERVERS}, and handoffs not turned off.
     */
    static Optional<Path> socketFor(List<String> args, Map<String, String> env, Path cwd) {
        if (args.isEmpty() || !args.getFirst().equals("scan") || env.containsKey("AST2GRAPH_NO_HANDOFF")
            || !env.getOrDefault("AST2GRAPH_BOOTSTRAP_SERVERS", "").isBlank()) {
            return Optional.empty();
        }
        String dataDir = env.getOrDefault("AST2GRAPH_DATA_DIR", ".ast2graph");
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (LOCAL_FLAGS.contains(flag)) {
                return Optional.empty();
            }
            if (arg.equals("--data-dir") && i + 1 < args.size()) {
                dataDir = args.get(++i);
            } else if (arg.startsWith("--data-dir=")) {
                dataDir = arg.substring("--data-dir=".length());
            }
        }
        Path socket = cwd.resolve(dataDir).resolve(Handoff.SOCKET);
        return Files.exists(socket) ? Optional.of(socket) : Optional.empty();
    }
}
