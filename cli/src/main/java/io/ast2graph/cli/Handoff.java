package io.ast2graph.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@code scan} is handed to the {@code ast2graph serve} of its data folder, which runs it in its own warm JVM:
 * the wire format over the Unix socket {@value #SOCKET} in the data folder, spoken by {@link ServeClient} and
 * {@link ServeControl}. The command sends one {@link Request}; the serve answers {@link #ACCEPTED} (or {@link #REFUSED}
 * with why, and the command runs the scan itself), then frames of standard output and error, then the exit code.
 *
 * <p>Only JDK classes: the client side runs before anything else of the command is loaded, and that is the point.
 */
final class Handoff {
    static final String SOCKET = "serve.sock";
    /** Changes with any change of the format below. */
    static final int VERSION = 1;

    static final byte ACCEPTED = 1;
    static final byte REFUSED = 2;
    static final byte OUT = 3;
    static final byte ERR = 4;
    static final byte EXIT = 5;

    private Handoff() {}

    /**
     * What the command asks of the serve.
     *
     * @param build       the build of ast2graph the command runs ({@link #build()}): a serve running another build
     *                    refuses, since it would run other code than the user just built
     * @param cwd         the command's working folder: relative paths among {@code args} are relative to it
     * @param terminal    whether the command's standard error is an interactive terminal (a progress bar, not log lines)
     * @param columns     the terminal's width, or 0 if unknown
     * @param startMillis when the command's process started (its summary counts from then)
     * @param args        the command line, {@code scan} first
     * @param env         the command's environment variables that ast2graph reads ({@link #forwardedEnv})
     */
    record Request(String build, Path cwd, boolean terminal, int columns, long startMillis, List<String> args,
                   Map<String, String> env) {
        Request {
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }

        void writeTo(DataOutputStream out) throws IOException {
            out.writeInt(VERSION);
            out.writeUTF(build);
            out.writeUTF(cwd.toString());
            out.writeBoolean(terminal);
            out.writeInt(columns);
            out.writeLong(startMillis);
            out.writeInt(args.size());
            for (String arg : args) {
                writeString(out, arg);
            }
            out.writeInt(env.size());
            for (var variable : env.entrySet()) {
                writeString(out, variable.getKey());
                writeString(out, variable.getValue());
            }
            out.flush();
        }

        static Request readFrom(DataInputStream in) throws IOException {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("handoff format " + version + ", this serve speaks " + VERSION);
            }
            String build = in.readUTF();
            Path cwd = Path.of(in.readUTF());
            boolean terminal = in.readBoolean();
            int columns = in.readInt();
            long startMillis = in.readLong();
            List<String> args = new ArrayList<>();
            for (int i = count(in.readInt()); i > 0; i--) {
                args.add(readString(in));
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = count(in.readInt()); i > 0; i--) {
                env.put(readString(in), readString(in));
            }
            return new Request(build, cwd, terminal, columns, startMillis, args, env);
        }
    }

    /**
     * The variables a scan reads ({@code AST2GRAPH_*}, {@code NEO4J_*}) and {@code TERM}: the serve resolves the
     * scan's defaults against these, not against its own environment.
     */
    static Map<String, String> forwardedEnv(Map<String, String> env) {
        Map<String, String> forwarded = new LinkedHashMap<>();
        env.forEach((key, value) -> {
            if (key.startsWith("AST2GRAPH_") || key.startsWith("NEO4J_") || key.equals("TERM")) {
                forwarded.put(key, value);
            }
        });
        return forwarded;
    }

    /**
     * The build this process runs: the jar (or class folder) the command's classes come from, with its size and
     * modification time. Two processes of the same build agree; a rebuilt jar differs.
     */
    static String build() {
        try {
            Path code = Path.of(Handoff.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code + ":" + Files.size(code) + ":" + Files.getLastModifiedTime(code).toMillis();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // Unknown: such a serve takes no handoff, and the command runs the scan itself.
            return "unknown:" + e;
        }
    }

    /**
     * Reads from the socket without the stream adapters of {@code java.nio.channels.Channels}, which serialize a
     * blocked read and a write: each side reads (for hang-ups, or frames) while it writes.
     */
    static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
            }
        };
    }

    static OutputStream output(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    /** Strings of any length (writeUTF stops at 64 KB, and an argument or variable may be longer). */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[count(in.readInt())];
        in.readFully(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > 16 << 20) {
            throw new IOException("not a handoff request (a length of " + n + ")");
        }
        return n;
    }
}
