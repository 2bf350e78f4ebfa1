package io.ast2graph.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;

/** One scrape of a /metrics endpoint, read as Prometheus text: sample lines {@code name{labels} value}. */
record Scrape(String text) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static Scrape of(int port) throws IOException, InterruptedException {
        return new Scrape(get(port, "/metrics").body());
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the samples of {@code name} whose labels contain every {@code labelFilter} (e.g. {@code stage="parser"}). */
    double sum(String name, String... labelFilter) {
        double sum = 0;
        boolean found = false;
        for (String line : text.lines().toList()) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            String labels = line.startsWith(name + "{") ? line.substring(name.length(), line.lastIndexOf('}') + 1) : "";
            boolean matches = true;
            for (String filter : labelFilter) {
                matches &= labels.contains(filter);
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no sample of " + name + " " + String.join(",", labelFilter) + " in the scrape");
        }
        return sum;
    }

    /** The metric names of every sample in the scrape. */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        text.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
            .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }
}
