package io.ast2graph.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Console;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;

/** Shows a scan's progress: a progress bar on a terminal, otherwise a log line every few seconds. */
interface ProgressView extends AutoCloseable {
    void update(ScanProgress progress);

    @Override
    void close();

    static ProgressView choose(boolean noProgress, String scanId) {
        return !noProgress && isTerminal() ? new Bar(scanId) : new LogLines(scanId, Duration.ofSeconds(5));
    }

    /**
     * True when standard error is an interactive terminal. {@code Console.isTerminal()} exists from Java 22 on
     * (before, {@code System.console()} alone answers it); looked up at run time because we compile for Java 21.
     */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null || System.getenv("TERM") == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            var isTerminal = MethodHandles.publicLookup()
                .findVirtual(Console.class, "isTerminal", MethodType.methodType(boolean.class));
            return (boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * One line of progress: records published, files parsed and written against the total, the rate at which records
     * finish (written or failed) and the time left at that rate, e.g. {@code "published 120/120, parsed 80, written
     * 64/120, 0 failed, 32.0 files/s, ETA 2 s"}.
     *
     * @param seconds how long the scan has been running
     */
    static String describe(ScanProgress p, double seconds) {
        String total = p.total() < 0 ? "?" : Long.toString(p.total());
        double rate = p.finished() / Math.max(seconds, 1e-3);
        String eta;
        if (p.complete()) {
            eta = "done";
        } else if (p.total() >= 0 && rate > 0) {
            eta = formatSeconds((p.total() - p.finished()) / rate);
        } else {
            eta = "?";
        }
        return String.format("published %d/%s, parsed %d, written %d/%s, %d failed, %.1f files/s, ETA %s",
            p.published(), total, p.parsed(), p.written(), total, p.failed(), rate, eta);
    }

    static String formatSeconds(double seconds) {
        if (seconds < 100) {
            return String.format("%.0f s", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format("%d min %02d s", s / 60, s % 60) : String.format("%d h %02d min", s / 3600, s % 3600 / 60);
    }

    /** The terminal bar: finished / total records, with published, parsed and failed counts, rate and ETA. */
    final class Bar implements ProgressView {
        private final ProgressBar bar;

        Bar(String scanId) {
            this.bar = new ProgressBarBuilder().setTaskName("scan").setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setInitialMax(-1).setUnit(" files", 1).showSpeed().setUpdateIntervalMillis(250).build();
        }

        @Override
        public void update(ScanProgress p) {
            if (p.total() >= 0 && bar.getMax() != p.total()) {
                bar.maxHint(p.total());
            }
            bar.stepTo(p.finished());
            bar.setExtraMessage(" published " + p.published() + ", parsed " + p.parsed()
                + (p.failed() > 0 ? ", failed " + p.failed() : ""));
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Plain log lines for scripts, CI and logs. */
    final class LogLines implements ProgressView {
        private static final Logger log = LoggerFactory.getLogger("ast2graph.progress");
        private final String scanId;
        private final long intervalNanos;
        private final long start = System.nanoTime();
        private long last = System.nanoTime();

        LogLines(String scanId, Duration interval) {
            this.scanId = scanId;
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void update(ScanProgress p) {
            long now = System.nanoTime();
            if (now - last < intervalNanos) {
                return;
            }
            last = now;
            log.info("scan {}: {}", scanId, describe(p, (now - start) / 1e9));
        }

        @Override
        public void close() {
        }
    }
}
