# syntax=docker/dockerfile:1
# One Dockerfile, one image per stage: `docker build --target parser-worker -t ast2graph/parser-worker .`
# (targets: parser-worker, writer-worker, producer). docker-compose.yml builds all three.

# ---- build: the thin jar and its libraries (cli/target/ast2graph.jar + cli/target/lib/) ----
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# The Maven repository is a build cache, so a source edit does not download the dependencies again.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl cli -am package -DskipTests -Dmaven.test.skip=true

# ---- runtime: a JRE, the jar, a non-root user ----
FROM eclipse-temurin:25-jre AS runtime
# curl serves the compose healthchecks (GET /health/ready); the base image may or may not ship it.
RUN command -v curl >/dev/null || (apt-get update && apt-get install -y --no-install-recommends curl \
      && rm -rf /var/lib/apt/lists/*)
RUN groupadd --system --gid 10001 ast2graph && useradd --system --uid 10001 --gid 10001 --no-create-home ast2graph
WORKDIR /app
COPY --from=build /src/cli/target/lib/ /app/lib/
COPY --from=build /src/cli/target/ast2graph.jar /app/ast2graph.jar
USER 10001:10001
# The launcher's flags (see ./ast2graph): the JavaParser lexer needs -XX:-DontCompileHugeMethods to be JIT-compiled
# (~2.5x faster parsing), the Kafka and Neo4j libraries need the --add-opens. The heap follows the container's memory
# limit; add or override JVM options with JDK_JAVA_OPTIONS, which the java launcher reads.
ENV AST2GRAPH_METRICS_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:-DontCompileHugeMethods", "-XX:+UseParallelGC", \
  "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", \
  "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", \
  "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED", \
  "--enable-native-access=ALL-UNNAMED", "-jar", "/app/ast2graph.jar"]

FROM runtime AS parser-worker
CMD ["parser-worker"]

FROM runtime AS writer-worker
CMD ["writer-worker"]

# The producer runs `scan` against the cluster: give it the folder, e.g. `scan --mode INLINE /src`.
FROM runtime AS producer
CMD ["scan", "--help"]
