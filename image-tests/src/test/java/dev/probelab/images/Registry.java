package dev.probelab.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads manifests and blobs straight from the registry's HTTP API (v2), as a puller sees them. */
final class Registry {

    static final String MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON document and the digest the registry gives it. */
    record Document(JsonNode json, String digest, String mediaType) {
    }

    private Registry() {
    }

    static Document manifest(String repository, String reference, String accept) throws IOException, InterruptedException {
        return get("/v2/" + repository + "/manifests/" + reference, accept);
    }

    static JsonNode blob(String repository, String digest) throws IOException, InterruptedException {
        return get("/v2/" + repository + "/blobs/" + digest, "*/*").json();
    }

    private static Document get(String path, String accept) throws IOException, InterruptedException {
        URI uri = URI.create("http://" + AppImage.registryHost() + path);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri).header("Accept", accept)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
        }
        return new Document(JSON.readTree(response.body()),
                response.headers().firstValue("Docker-Content-Digest").orElse(""),
                response.headers().firstValue("Content-Type").orElse(""));
    }
}
