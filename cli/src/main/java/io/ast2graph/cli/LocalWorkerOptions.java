package io.ast2graph.cli;

import picocli.CommandLine.Option;

/** The sizes of the worker pools the embedded default runs in this process: {@code scan} and {@code serve}. */
final class LocalWorkerOptions {
    @Option(names = "--parser-threads", description = "Parser threads of the embedded pipeline (default: the number of cores).")
    Integer parserThreads;

    @Option(names = "--writer-threads", defaultValue = "2", description = "Writer threads of the embedded pipeline (default: ${DEFAULT-VALUE}).")
    int writerThreads;

    int parserThreads() {
        return parserThreads != null ? parserThreads : Runtime.getRuntime().availableProcessors();
    }
}
