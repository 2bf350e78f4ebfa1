package io.ast2graph.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serve's side of a {@link Handoff}: listens on the data folder's socket and runs each scan handed to it on a
 * thread of its own, its output framed back to the command. A command that hangs up (Ctrl-C) interrupts its scan.
 */
final class ServeControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServeControl.class);

    /** Runs one handed-off command; {@code out} and {@code err} reach the command's own streams. */
    @FunctionalInterface
    interface Runner {
        int run(Handoff.Request request, PrintStream out, PrintStream err);
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Runner runner;
    private final String build;
    private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessionIds = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private ServeControl(Path socket, ServerSocketChannel server, Runner runner, String build) {
        this.socket = socket;
        this.server = server;
        this.runner = runner;
        this.build = build;
        this.acceptor = Thread.ofPlatform().name("serve-handoff").daemon().unstarted(this::accept);
    }

    /**
     * Listens on {@code dataDir/serve.sock}, replacing a socket file a killed serve left (the caller holds the
     * folder's lock, so no other serve listens there).
     *
     * @param build the build handed-off commands must run ({@link Handoff#build()}); others are refused
     */
    static ServeControl listen(Path dataDir, Runner runner, String build) throws IOException {
        Path socket = dataDir.resolve(Handoff.SOCKET);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            try {
                // Whoever can connect can make the serve read any folder it can read: its owner alone.
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.debug("no POSIX permissions for {}: {}", socket, e.toString());
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        var control = new ServeControl(socket, server, runner, build);
        control.acceptor.start();
        return control;
    }

    private void accept() {
        while (!closed.get()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed.get()) {
                    log.warn("cannot take a handed-off scan: {}", e.toString());
                }
                return;
            }
            Thread.ofPlatform().name("serve-scan-" + sessionIds.incrementAndGet()).daemon().start(() -> session(channel));
        }
    }

    private void session(SocketChannel channel) {
        Thread self = Thread.currentThread();
        sessions.add(self);
        try (channel) {
            var in = new DataInputStream(new BufferedInputStream(Handoff.input(channel)));
            Handoff.Request request;
            var frames = new Frames(Handoff.output(channel));
            try {
                request = Handoff.Request.readFrom(in);
            } catch (IOException e) {
                log.warn("a handed-off scan sent no request the serve reads: {}", e.getMessage());
                frames.refuse(e.getMessage());
                return;
            }
            if (!request.build().equals(build)) {
                // The user rebuilt ast2graph since the serve started: their scan must run their code.
                frames.refuse("it runs another build of ast2graph; restart it to pick this one up");
                return;
            }
            if (closed.get()) {
                frames.refuse("it is stopping");
                return;
            }
            frames.accept();
            var done = new AtomicBoolean();
            // The command sends nothing after its request: a read that ends means it hung up (Ctrl-C, killed).
            Thread hangUp = Thread.ofPlatform().name(self.getName() + "-hang-up").daemon().start(() -> {
                try {
                    while (in.read() >= 0) {
                        // nothing else is sent
                    }
                } catch (IOException e) {
                    log.debug("handed-off scan's connection: {}", e.toString());
                }
                if (!done.get()) {
                    log.info("the command that handed its scan over hung up: stopping the scan");
                    self.interrupt();
                }
            });
            int code;
            try (PrintStream out = frames.stream(Handoff.OUT); PrintStream err = frames.stream(Handoff.ERR)) {
                code = runner.run(request, out, err);
            } catch (RuntimeException e) {
                log.warn("handed-off scan failed", e);
                code = 1;
            } finally {
                done.set(true);
            }
            frames.exit(code);
            hangUp.interrupt();
        } catch (IOException e) {
            log.debug("handed-off scan's command went away: {}", e.toString());
        } finally {
            sessions.remove(self);
            Thread.interrupted();
        }
    }

    /** Stops listening and interrupts the scans under way; their commands are told the serve went away. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the handoff socket: {}", e.toString());
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", socket, e.toString());
        }
        sessions.forEach(Thread::interrupt);
        for (Thread session : sessions) {
            try {
                session.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The serve's answer: frames written whole, one at a time, by the scan's threads. */
    private static final class Frames {
        private final DataOutputStream out;

        Frames(OutputStream out) {
            this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        }

        synchronized void accept() throws IOException {
            out.writeByte(Handoff.ACCEPTED);
            out.flush();
        }

        synchronized void refuse(String reason) throws IOException {
            out.writeByte(Handoff.REFUSED);
            out.writeUTF(reason == null ? "" : reason);
            out.flush();
        }

        synchronized void exit(int code) throws IOException {
            out.writeByte(Handoff.EXIT);
            out.writeInt(code);
            out.flush();
        }

        synchronized void write(byte kind, byte[] bytes, int offset, int length) throws IOException {
            out.writeByte(kind);
            out.writeInt(length);
            out.write(bytes, offset, length);
            out.flush();
        }

        /** A stream whose flushes become frames of {@code kind}; after the command hung up, writes go nowhere. */
        PrintStream stream(byte kind) {
            OutputStream frame = new OutputStream() {
                private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
                private boolean gone;

                @Override
                public synchronized void write(int b) {
                    pending.write(b);
                }

                @Override
                public synchronized void write(byte[] bytes, int offset, int length) {
                    pending.write(bytes, offset, length);
                }

                @Override
                public synchronized void flush() {
                    if (pending.size() == 0 || gone) {
                        pending.reset();
                        return;
                    }
                    try {
                        Frames.this.write(kind, pending.toByteArray(), 0, pending.size());
                    } catch (IOException e) {
                        gone = true;
                    }
                    pending.reset();
                }

                @Override
                public void close() {
                    flush();
                }
            };
            return new PrintStream(frame, /* autoFlush= */ true, StandardCharsets.UTF_8);
        }
    }
}
