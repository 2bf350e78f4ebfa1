package io.ast2graph.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;

/**
 * The log lines of a scan handed to the serve reach the command's standard error, as they would if it ran the scan
 * itself: an appender on the root logger copies each event logged on a thread that {@link #to} marked, or that such
 * a thread started (the scan's walk, publish and watch threads, its Kafka clients' threads), to that scan's stream.
 * The serve's own log keeps them too.
 */
final class ForwardedLog {
    /** The same layout as the text format's console appender (logback-text.xml). */
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    private static final InheritableThreadLocal<Sink> SINK = new InheritableThreadLocal<>();

    private ForwardedLog() {}

    /** Ends the forwarding. */
    interface Forwarding extends AutoCloseable {
        @Override
        void close();
    }

    /** A scan's stream, open while the scan runs; a thread that outlives the scan writes to it no more. */
    private static final class Sink {
        final PrintStream stream;
        volatile boolean open = true;

        Sink(PrintStream stream) {
            this.stream = stream;
        }
    }

    /** Installs the forwarding appender, once; a no-op where logback is not the logging backend. */
    static synchronized void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(Appender.NAME) != null) {
            return;
        }
        var layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(PATTERN);
        layout.start();
        var appender = new Appender(layout);
        appender.setContext(context);
        appender.setName(Appender.NAME);
        appender.start();
        root.addAppender(appender);
    }

    /**
     * Forwards what this thread, and the threads it starts, log to {@code stream} until the returned handle closes.
     */
    static Forwarding to(PrintStream stream) {
        var sink = new Sink(stream);
        SINK.set(sink);
        return () -> {
            sink.open = false;
            SINK.remove();
        };
    }

    private static final class Appender extends AppenderBase<ILoggingEvent> {
        static final String NAME = "HANDED_OFF_SCAN";
        private final PatternLayout layout;

        Appender(PatternLayout layout) {
            this.layout = layout;
        }

        @Override
        protected void append(ILoggingEvent event) {
            Sink sink = SINK.get();
            if (sink != null && sink.open) {
                sink.stream.print(layout.doLayout(event));
                sink.stream.flush();
            }
        }
    }
}
