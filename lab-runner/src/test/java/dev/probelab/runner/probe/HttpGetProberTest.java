package dev.probelab.runner.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.runner.kubelet.ProbeHandler.Header;
import dev.probelab.runner.kubelet.ProbeOutcome;
import dev.probelab.runner.kubelet.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The httpGet and tcpSocket handlers against a local server: kubelet's rules and Go's message texts. */
class HttpGetProberTest {

    private HttpServer server;
    private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
    private final HttpGetProber http = new HttpGetProber(KubeletVersion.CURRENT.probeUserAgent());

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", ex -> {
            ex.getRequestHeaders().forEach((k, v) -> seenHeaders.put(k.toLowerCase(), String.join(",", v)));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/fail", ex -> {
            byte[] body = "{\"status\":\"fail\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/here", ex -> {
            ex.getResponseHeaders().add("Location", "/ok");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/elsewhere", ex -> {
            ex.getResponseHeaders().add("Location", "http://example.invalid/x");
            byte[] body = "moved".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(302, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/stall", ex -> {
            // Headers and a first byte of the body, then nothing: the deadline must still end the probe.
            ex.sendResponseHeaders(200, 100);
            ex.getResponseBody().write('x');
            ex.getResponseBody().flush();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getAddress().getPort());
    }

    private ProbeOutcome get(String path, List<Header> headers) {
        return http.probe("HTTP", address(), path, headers, Duration.ofSeconds(1));
    }

    @Test
    void successSendsKubeProbeAgentAcceptAndTheSpecsHeaders() {
        ProbeOutcome o = get("/ok", List.of(new Header("health", "check")));
        assertThat(o.result()).isEqualTo(Result.SUCCESS);
        assertThat(seenHeaders).containsEntry("user-agent", "kube-probe/1.35").containsEntry("accept", "*/*")
                .containsEntry("health", "check").containsEntry("connection", "close");
    }

    @Test
    void theSpecOverridesUserAgent() {
        get("/ok", List.of(new Header("User-Agent", "lab")));
        assertThat(seenHeaders).containsEntry("user-agent", "lab");
    }

    @Test
    void status500IsAFailureWithTheKubeletsMessage() {
        assertThat(get("/fail", List.of())).isEqualTo(ProbeOutcome.failure("HTTP probe failed with statuscode: 500"));
    }

    @Test
    void sameHostRedirectsAreFollowed() {
        assertThat(get("/here", List.of()).result()).isEqualTo(Result.SUCCESS);
        assertThat(get("/here", List.of()).warning()).isFalse();
    }

    @Test
    void anOffHostRedirectIsASuccessWithAWarning() {
        ProbeOutcome o = get("/elsewhere", List.of());
        assertThat(o.result()).isEqualTo(Result.SUCCESS);
        assertThat(o.warning()).isTrue();
        assertThat(o.output()).isEqualTo("Probe terminated redirects, Response body: moved");
    }

    @Test
    void tenRedirectsAreTooMany() {
        ProbeOutcome o = get("/loop", List.of());
        assertThat(o.result()).isEqualTo(Result.FAILURE);
        assertThat(o.output()).endsWith("/loop\": stopped after 10 redirects");
    }

    @Test
    void aTimeoutIsAFailureInGosWords() {
        ProbeOutcome o = get("/slow", List.of());
        assertThat(o).isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + address().getPort()
                + "/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
    }

    @Test
    void aBodyThatStallsAfterTheHeadersIsBoundedByTheTimeout() {
        long start = System.nanoTime();
        ProbeOutcome o = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> get("/stall", List.of()));
        assertThat(o).isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + address().getPort()
                + "/stall\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void aRefusedConnectionIsAFailureInGosWords() throws IOException {
        int port = closedPort();
        ProbeOutcome o = http.probe("HTTP", new InetSocketAddress("127.0.0.1", port), "/healthz", List.of(), Duration.ofSeconds(1));
        assertThat(o).isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + port + "/healthz\": dial tcp 127.0.0.1:"
                + port + ": connect: connection refused"));
    }

    @Test
    void tcpSocketSucceedsOnConnectAndFailsOnRefusal() throws IOException {
        TcpSocketProber tcp = new TcpSocketProber();
        assertThat(tcp.probe(address(), Duration.ofSeconds(1)).result()).isEqualTo(Result.SUCCESS);
        int port = closedPort();
        assertThat(tcp.probe(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(1)))
                .isEqualTo(ProbeOutcome.failure("dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
