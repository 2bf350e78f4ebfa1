package io.ast2graph.common.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsArePrometheusTextWithTheJvmBinders() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.registryWithJvmMetrics();
        Counter.builder("ast2graph.files.parsed").tag("outcome", "ok").register(registry).increment(3);
        server = MetricsServer.start(0, registry, List::of, List::of);

        var response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body())
            .contains("ast2graph_files_parsed_total{outcome=\"ok\"} 3.0")
            .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "system_cpu_count", "jvm_gc_");
    }

    @Test
    void probesAnswer503NamingTheCheckThatIsDown() throws Exception {
        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicBoolean neo4j = new AtomicBoolean(false);
        List<HealthCheck> readiness = new CopyOnWriteArrayList<>();
        server = MetricsServer.start(0, MetricsServer.registryWithJvmMetrics(),
            () -> List.of(new HealthCheck("parser polling", polling::get)), () -> readiness);

        assertThat(get("/health/ready").statusCode()).as("nothing registered yet: not ready").isEqualTo(503);
        readiness.add(new HealthCheck("kafka", () -> true));
        readiness.add(new HealthCheck("neo4j", neo4j::get));

        var notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("kafka UP\nneo4j DOWN\n");

        neo4j.set(true);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);

        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        polling.set(false);
        var notLive = get("/health/live");
        assertThat(notLive.statusCode()).isEqualTo(503);
        assertThat(notLive.body()).isEqualTo("parser polling DOWN\n");
    }

    @Test
    void aCheckThatThrowsIsDown() throws Exception {
        server = MetricsServer.start(0, MetricsServer.registryWithJvmMetrics(), List::of,
            () -> List.of(new HealthCheck("kafka", () -> { throw new IllegalStateException("boom"); })));

        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).as("no liveness checks yet: a starting process is live").isEqualTo(200);
    }

    @Test
    void rejectsAPortOutOfRangeWithTheOptionName() {
        assertThatThrownBy(() -> MetricsServer.start(70_000, MetricsServer.registryWithJvmMetrics(), List::of, List::of))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("--metrics-port must be between 0 and 65535, was 70000");
    }
}
