package io.ast2graph.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ast2graph.common.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The deploy/ monitoring files stay valid and use only the metric names docs/metrics.md promises. */
class DeployConfigTest {
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "ast2graph-dashboard.json");
    private static final Path PROMETHEUS = Path.of("..", "deploy", "prometheus", "prometheus.yml");

    @Test
    void dashboardIsValidJsonAndUsesOnlyDocumentedMetrics() throws Exception {
        JsonNode dashboard = Json.mapper().readTree(Files.readString(DASHBOARD));

        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.get("targets")).as("panel '%s' has queries", panel.get("title").asText()).isNotEmpty();
            panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
        }
        Set<String> used = new TreeSet<>();
        expressions.forEach(expr -> used.addAll(MetricNames.in(expr)));
        Set<String> documented = MetricNames.documented();

        assertThat(used).as("metrics the dashboard queries").hasSizeGreaterThan(10)
            .contains("ast2graph_files_parsed_total", "ast2graph_files_written_total", "ast2graph_consumer_lag",
                "ast2graph_records_dead_lettered_total")
            .allSatisfy(name -> assertThat(MetricNames.isDocumented(name, documented))
                .as("%s is documented in docs/metrics.md", name).isTrue());
    }

    @Test
    void everyDocumentedPipelineMeterNamesTheProcessThatServesIt() {
        Set<String> pipeline = new TreeSet<>();
        pipeline.addAll(MetricNames.documentedFor("parser"));
        pipeline.addAll(MetricNames.documentedFor("writer"));
        pipeline.addAll(MetricNames.documentedFor("scan"));

        assertThat(pipeline).hasSize(20).allSatisfy(name -> assertThat(name).startsWith("ast2graph_"));
    }

    @Test
    void prometheusScrapesTheWorkersMetricsPathWithoutClobberingTheStageTag() throws Exception {
        String config = Files.readString(PROMETHEUS);

        assertThat(config).contains("metrics_path: /metrics", "job_name: ast2graph-parser", "job_name: ast2graph-writer");
        assertThat(config.lines().filter(line -> !line.trim().startsWith("#")))
            .as("a target label 'stage' would rename the meters' own stage tag to exported_stage")
            .noneMatch(line -> line.trim().startsWith("stage:"));
    }
}
