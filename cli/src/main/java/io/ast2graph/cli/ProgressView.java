package io.ast2graph.cli;

import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Duration;

/** Shows a scan's progress: a progress bar on a terminal, otherwise a log line every few seconds. */
interface ProgressView extends AutoCloseable {
    void update(ScanProgress progress);

    @Override
    void close();

    /**
     * @param terminal whether the scan's standard error is an interactive terminal
     * @param columns  that terminal's width, or 0 to let the bar find out (in this process) or assume 80 (handed off)
     * @param err      where the bar goes: the scan's standard error
     */
    static ProgressView choose(boolean noProgress, boolean terminal, int columns, PrintStream err, String scanId) {
        return !noProgress && terminal ? new Bar(scanId, columns, err) : new LogLines(scanId, Duration.ofSeconds(5));
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

        Bar(String scanId, int columns, PrintStream err) {
            var builder = new ProgressBarBuilder().setTaskName("scan").setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setInitialMax(-1).setUnit(" files", 1).showSpeed().setUpdateIntervalMillis(250);
            if (err != System.err) {
                // A scan handed to the serve: the bar goes to the command's terminal, whose width the serve cannot ask.
                builder.setConsumer(new InteractiveConsoleProgressBarConsumer(err, columns > 0 ? columns : 80));
            }
            this.bar = builder.build();
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
