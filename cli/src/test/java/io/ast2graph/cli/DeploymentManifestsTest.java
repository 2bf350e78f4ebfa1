package io.ast2graph.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The deployment files, checked offline: {@code docker-compose.yml} by {@code docker-compose config -q}, every
 * Kustomize tree under {@code deploy/} rendered by {@code kubectl kustomize} and validated against the Kubernetes,
 * KEDA and Strimzi schemas plus the project's rules by {@code deploy/check/validate.mjs}. Broken fixtures must fail.
 *
 * <p>The tools come from {@code deploy/check/install-tools.sh}, which {@code .ci/run} runs first. Where a tool is
 * missing these tests are skipped with the reason, except in CI ({@code CI} set), where they fail: CI must check.
 */
class DeploymentManifestsTest {
    static final Path ROOT = repositoryRoot();
    static final Path BROKEN = ROOT.resolve("cli/src/test/resources/deploy-broken");

    @Test
    void composeFileIsValid() {
        Run run = run(tool("docker-compose"), "-f", "docker-compose.yml", "--env-file", ".env.example", "config", "-q");

        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void brokenComposeFileIsRejected() {
        Run run = run(tool("docker-compose"), "-f", BROKEN.resolve("docker-compose.yml").toString(), "config", "-q");

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("healthcheck.retries");
    }

    @Test
    void composeWithoutTheNeo4jPasswordIsRejected(@TempDir Path tmp) throws IOException {
        // The env file is the only place the password is set: compose must refuse to start Neo4j without one.
        Path emptyEnv = Files.writeString(tmp.resolve("empty.env"), "");
        Run run = run(tool("docker-compose"), "-f", "docker-compose.yml", "--env-file", emptyEnv.toString(), "config", "-q");

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("NEO4J_PASSWORD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base", "deploy/overlays/dev", "deploy/overlays/prod", "deploy/strimzi"})
    void everyKustomizationRendersToValidManifests(String kustomization, @TempDir Path tmp) throws IOException {
        Path rendered = render(kustomization, tmp);

        Run check = validate(rendered);

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).containsPattern("\\d+ documents valid");
    }

    @Test
    void prodRunsOnlyTheParsersUnderGvisor(@TempDir Path tmp) throws IOException {
        List<String> documents = Arrays.asList(Files.readString(render("deploy/overlays/prod", tmp)).split("\n---\n"));

        assertThat(documents).filteredOn(d -> d.contains("runtimeClassName: gvisor")).singleElement()
            .satisfies(d -> assertThat(d).contains("kind: Deployment", "name: ast2graph-parser-worker\n"));
        assertThat(documents).anySatisfy(d -> assertThat(d).contains("kind: RuntimeClass", "handler: runsc"));
        // Prod takes its topics from Strimzi (deploy/strimzi), not from the topics Job.
        assertThat(documents).noneSatisfy(d -> assertThat(d).contains("name: ast2graph-create-topics\n", "kind: Job"));
    }

    @Test
    void theCheckerRejectsABrokenManifest() {
        Run check = validate(BROKEN.resolve("manifests.yaml"));

        assertThat(check.exit()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains(
            "Deployment/ast2graph-parser-worker: data/spec/replicas must be integer",
            "container parser-worker: capabilities.drop must include ALL",
            "terminationGracePeriodSeconds 10 must be longer than the parser-worker's 30 s drain",
            "ScaledObject/ast2graph-parser-worker: maxReplicaCount 24 exceeds the 12 partitions",
            "ScaledObject/ast2graph-writer-worker: data/spec/scaleTargetRef must be object",
            "7 problems in 4 documents");
    }

    @Test
    void theCheckerRejectsAnUnknownKind(@TempDir Path tmp) throws IOException {
        Path manifest = Files.writeString(tmp.resolve("unknown.yaml"), """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            """);

        Run check = validate(manifest);

        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.output()).contains("no schema for apiVersion example.com/v1");
    }

    private static Path render(String kustomization, Path tmp) throws IOException {
        Run render = run(tool("kubectl"), "kustomize", kustomization);
        assertThat(render.exit()).as(render.output()).isZero();
        return Files.writeString(tmp.resolve("rendered.yaml"), render.output());
    }

    private static Run validate(Path manifests) {
        Path validator = ROOT.resolve("deploy/check/validate.mjs");
        if (!Files.isDirectory(ROOT.resolve("deploy/check/node_modules"))) {
            missing("the validator's npm packages (deploy/check/node_modules)");
        }
        return run(tool("node"), validator.toString(), manifests.toString());
    }

    /** The tool's name if it is on the PATH; otherwise the test is skipped, or fails in CI. */
    private static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return name;
            }
        }
        missing(name);
        return name;
    }

    private static void missing(String what) {
        String message = what + " is missing: run deploy/check/install-tools.sh (.ci/run does)";
        if (System.getenv("CI") != null) {
            fail("CI must check the deployment files, but " + message);
        }
        Assumptions.abort(message);
    }

    record Run(int exit, String output) {}

    /**
     * Runs a command in the repository root; its stdout and stderr together, and a bound on how long it may take.
     * Settings of the developer's shell that compose would interpolate are removed: only the files count.
     */
    private static Run run(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(ROOT.toFile())
                .redirectErrorStream(true);
            builder.environment().keySet().removeIf(key -> key.startsWith("NEO4J_") || key.startsWith("AST2GRAPH_"));
            Process process = builder.start();
            process.getOutputStream().close();
            // Read before waiting: a full pipe would block the process.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 2 minutes");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path repositoryRoot() {
        // Surefire runs in the module folder (cli/); the deployment files are at the repository root.
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
