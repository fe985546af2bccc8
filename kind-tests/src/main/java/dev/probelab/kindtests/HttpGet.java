package dev.probelab.kindtests;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * One GET with short, fixed timeouts that never throws: every outcome is an {@link Answer}.
 * A Service with no ready endpoint shows as refused (kube-proxy rejects), closed (an L4 proxy such as
 * cloud-provider-kind's accepts, then finds no backend) or timed out (packets dropped): all "no answer".
 */
public final class HttpGet {

    /** Loopback or a LoadBalancer IP on the runner's Docker network: a live path connects in milliseconds. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Our apps answer in milliseconds; 3 s is the kubelet's probe timeout (1 s) with room for a busy node. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private HttpGet() {
    }

    public static Answer get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer.Response(response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            return new Answer.NoAnswer("connect timed out after " + CONNECT_TIMEOUT.toSeconds() + "s");
        } catch (HttpTimeoutException e) {
            return new Answer.NoAnswer("no response within " + REQUEST_TIMEOUT.toSeconds() + "s");
        } catch (ConnectException e) {
            return new Answer.NoAnswer("connection refused");
        } catch (IOException e) {
            return new Answer.NoAnswer("connection closed without a response: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.NoAnswer("interrupted");
        }
    }
}
