package dev.probelab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every app shares: routing, JSON errors, HEAD, the info page, and the uptime clock. */
class ProbeServerTest {

    /** Healthy until the timing has passed: enough to see the clock drive /healthz. */
    private static final AppSpec APP = new AppSpec("test-app", "TIMING", Duration.ofSeconds(10), "%s",
            (request, uptime, timing) -> uptime.compareTo(timing) < 0);

    private RunningServer server;

    @BeforeEach
    void start() {
        server = RunningServer.start(APP);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthzAnswersTheOriginalsBodiesExactly() {
        server.request().get("/healthz").then()
                .statusCode(200)
                .contentType("application/json")
                .body(equalTo("{\"status\":\"ok\",\"message\":\"server : available.\"}"));

        server.advance(Duration.ofSeconds(10));

        server.request().get("/healthz").then()
                .statusCode(500)
                .contentType("application/json")
                .body(equalTo("{\"status\":\"fail\",\"message\":\"server : not available\"}"));
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        server.request().head("/healthz").then().statusCode(200).body(emptyString());
        server.advance(Duration.ofSeconds(11));
        server.request().head("/healthz").then().statusCode(500).body(emptyString());
        server.request().head("/").then().statusCode(200).body(emptyString());
    }

    @Test
    void infoPageShowsNameVersionHostnameAndUptime() {
        server.advance(Duration.ofMillis(4200));

        server.request().get("/").then()
                .statusCode(200)
                .contentType("text/html")
                .body(containsString("<h2> test-app </h2>"))
                .body(containsString("<h2> Version : " + BuildInfo.version() + " </h2>"))
                .body(containsString("<h2> hostname: " + RunningServer.TEST_HOSTNAME + " </h2>"))
                .body(containsString("<h2> uptime: 4.2s </h2>"));
        assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void unknownPathIsA404WithAJsonBody() {
        server.request().get("/nope").then()
                .statusCode(404)
                .contentType("application/json")
                .body(equalTo("{\"status\":\"error\",\"message\":\"no such path: /nope\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"})
    void wrongMethodIsA405WithAJsonBody(String method) {
        server.request().request(method, "/healthz").then()
                .statusCode(405)
                .header("Allow", containsString("GET"))
                .contentType("application/json")
                .body(equalTo("{\"status\":\"error\",\"message\":\"method " + method + " not allowed on /healthz\"}"));
    }

    @Test
    void hugeHeadersAreA431WithAJsonBody() {
        server.request().header("X-Huge", "a".repeat(64 * 1024)).get("/healthz").then()
                .statusCode(431)
                .contentType("application/json")
                .body("status", equalTo("error"));
    }

    @Test
    void aMalformedRequestIsA400WithAJsonBody() throws IOException {
        String answer = raw("GARBAGE\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                .contains("{\"status\":\"error\",\"message\":\"400 ").doesNotContain("<html");
    }

    @Test
    void aBadlyEncodedPathIsA400WithAJsonBody() throws IOException {
        String answer = raw("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("application/json").contains("\"status\":\"error\"");
    }

    @Test
    void uptimeCountsFromListeningOnTheInjectedClock() {
        assertThat(server.port()).isPositive();
        server.advance(Duration.ofSeconds(9));
        server.request().get("/healthz").then().statusCode(200);
        server.advance(Duration.ofMillis(999));
        server.request().get("/healthz").then().statusCode(200);
        server.advance(Duration.ofMillis(1));
        server.request().get("/healthz").then().statusCode(500);
    }

    /** Sends bytes no HTTP client library would send, and reads the whole answer. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
