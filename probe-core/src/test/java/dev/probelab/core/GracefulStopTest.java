package dev.probelab.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stop lets a request in flight finish, and then no new connection is accepted. */
class GracefulStopTest {

    private final CountDownLatch requestInFlight = new CountDownLatch(1);
    private final CountDownLatch finishRequest = new CountDownLatch(1);

    /** A /healthz that holds the request until the test lets it go. */
    private final AppSpec slowApp = new AppSpec("slow-app", "TIMING", Duration.ofSeconds(1), "%s",
            (request, uptime, timing) -> {
                requestInFlight.countDown();
                try {
                    return finishRequest.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });

    @Test
    void stopWaitsForTheRequestInFlightThenRefusesConnections() throws Exception {
        RunningServer server = RunningServer.start(slowApp);
        HttpClient client = HttpClient.newHttpClient();
        URI healthz = URI.create("http://127.0.0.1:" + server.port() + "/healthz");
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(
                HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(requestInFlight.await(10, TimeUnit.SECONDS)).as("request reached the handler").isTrue();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::close);
        Thread.sleep(300); // give stop() time to cut the request off, if it wrongly would
        assertThat(stopped).as("stop waits for the request in flight").isNotDone();
        finishRequest.countDown();

        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"message\":\"server : available.\"}");
        stopped.get(10, TimeUnit.SECONDS);
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                return client.send(HttpRequest.newBuilder(healthz).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        }).get(10, TimeUnit.SECONDS)).as("no answer after stop").isEqualTo(-1);
    }
}
