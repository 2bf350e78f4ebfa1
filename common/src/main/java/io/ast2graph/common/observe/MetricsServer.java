package io.ast2graph.common.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP endpoint of a worker process, on the JDK's own HTTP server (a scrape and two probes need no framework):
 * <ul>
 *   <li>{@code GET /metrics}: every meter of the registry in the Prometheus text format;</li>
 *   <li>{@code GET /health/live}: 200 while every liveness check is up (the consume loops keep polling), else 503;
 *       an orchestrator restarts a process that stays not live;</li>
 *   <li>{@code GET /health/ready}: 200 while every readiness check is up (Kafka, and Neo4j for writers), else 503.</li>
 * </ul>
 * The probe bodies list each check as {@code name UP|DOWN}, so a human reading the probe sees which one failed.
 * Checks are asked at request time, the checks list itself at request time too, so a process can add the workers'
 * checks after the server came up.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** A Prometheus registry with the JVM binders every process reports: memory, GC, threads, classes, CPU. */
    public static PrometheusMeterRegistry registryWithJvmMetrics() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // JvmGcMetrics listens to GC notifications until closed; it lives as long as the process, like the registry.
        new JvmGcMetrics().bindTo(registry);
        return registry;
    }

    /**
     * Starts serving on {@code port} of every interface (0 picks a free port, see {@link #port()}).
     *
     * @param liveness  the checks of {@code /health/live}, asked at each request
     * @param readiness the checks of {@code /health/ready}, asked at each request
     */
    public static MetricsServer start(int port, PrometheusMeterRegistry registry, Supplier<List<HealthCheck>> liveness,
                                      Supplier<List<HealthCheck>> readiness) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--metrics-port must be between 0 and 65535, was " + port);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(port), /* backlog= */ 16);
        server.createContext("/metrics", exchange -> {
            if (requireGet(exchange)) {
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        // Before the workers registered their checks a process is live (killing a starting process helps nobody)
        // but not ready.
        server.createContext("/health/live", exchange -> probe(exchange, liveness.get(), /* upWhenEmpty= */ true));
        server.createContext("/health/ready", exchange -> probe(exchange, readiness.get(), /* upWhenEmpty= */ false));
        // Two threads: a scrape must not wait behind a slow readiness check (which may wait for a broker timeout).
        ExecutorService executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("metrics-http-", 0).daemon(true).factory());
        server.setExecutor(executor);
        server.start();
        var started = new MetricsServer(server, executor);
        log.info("metrics on http://localhost:{}/metrics, probes on /health/live and /health/ready", started.port());
        return started;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, List<HealthCheck> checks, boolean upWhenEmpty) throws IOException {
        if (!requireGet(exchange)) {
            return;
        }
        StringBuilder body = new StringBuilder();
        boolean up = true;
        for (HealthCheck check : checks) {
            boolean checkUp = check.isUp();
            up &= checkUp;
            body.append(check.name()).append(checkUp ? " UP\n" : " DOWN\n");
        }
        if (checks.isEmpty()) {
            up = upWhenEmpty;
            body.append("starting\n");
        }
        respond(exchange, up ? 200 : 503, "text/plain; charset=utf-8", body.toString());
    }

    private static boolean requireGet(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD")) {
            return true;
        }
        respond(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(/* delaySeconds= */ 0);
        executor.shutdownNow();
    }
}
