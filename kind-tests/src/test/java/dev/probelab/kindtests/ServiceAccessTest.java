package dev.probelab.kindtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every way a request through a Service can end, against servers on the loopback address. */
class ServiceAccessTest {

    @Test
    void answersCarryStatusAndBodyAndTheHeaderIsSent() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            boolean check = "check".equals(exchange.getRequestHeaders().getFirst("health"));
            byte[] body = (check ? HealthSamples.FAIL_BODY : HealthSamples.OK_BODY).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(check ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/healthz");
            assertThat(ServiceAccess.get(uri, Map.of("health", "check"))).isEqualTo(new Answer.Response(500, HealthSamples.FAIL_BODY));
            assertThat(ServiceAccess.get(uri, Map.of())).isEqualTo(new Answer.Response(200, HealthSamples.OK_BODY));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusedConnectionIsNoAnswer() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(ServiceAccess.get(URI.create("http://127.0.0.1:" + port + "/"), Map.of()))
                .isEqualTo(new Answer.NoAnswer("connection refused"));
    }

    @Test
    void aConnectionClosedWithoutAResponseIsNoAnswer() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // like an L4 proxy with no backend: accept, read, hang up (every time: the client retries a GET once)
            Thread closer = new Thread(() -> {
                while (!s.isClosed()) {
                    try (Socket c = s.accept()) {
                        c.getInputStream().read();
                    } catch (IOException ignored) {
                        return;
                    }
                }
            });
            closer.setDaemon(true);
            closer.start();
            Answer answer = ServiceAccess.get(URI.create("http://127.0.0.1:" + s.getLocalPort() + "/"), Map.of());
            assertThat(answer).isInstanceOf(Answer.NoAnswer.class);
            assertThat(answer.toString()).contains("closed without a response");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        // the kernel accepts into the backlog; nobody reads: the request times out
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            Answer answer = ServiceAccess.get(URI.create("http://127.0.0.1:" + s.getLocalPort() + "/"), Map.of());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(answer).isEqualTo(new Answer.NoAnswer("no response within " + ServiceAccess.REQUEST_TIMEOUT.toSeconds() + "s"));
            assertThat(seconds).isLessThanOrEqualTo(ServiceAccess.REQUEST_TIMEOUT.toSeconds() + 2);
        }
    }
}
