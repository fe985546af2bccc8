package dev.probelab.runner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Service on localhost: refused with no ready pod, forwarded to ready pods, refused again without. */
class ServiceProxyTest {

    /** A one-connection echo server standing in for a ready pod. */
    private static ServerSocket echo() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getInputStream().transferTo(c.getOutputStream());
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    private static String roundTrip(int port, String text) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // Repeated: without waiting for the accepting thread, about one run in two could still connect.
    @org.junit.jupiter.api.RepeatedTest(20)
    void refusesWithoutReadyPodsAndForwardsToReadyOnes() throws IOException {
        try (ServiceProxy proxy = ServiceProxy.reserve(0, false); ServerSocket pod = echo()) {
            int port = proxy.port();
            assertThatThrownBy(() -> roundTrip(port, "x")).isInstanceOf(ConnectException.class);

            proxy.update(List.of(new InetSocketAddress("127.0.0.1", pod.getLocalPort())));
            assertThat(proxy.listening()).isTrue();
            assertThat(roundTrip(port, "GET / HTTP/1.0")).isEqualTo("GET / HTTP/1.0");

            proxy.update(List.of());
            assertThat(proxy.listening()).isFalse();
            assertThatThrownBy(() -> roundTrip(port, "x")).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void fallsBackFrom80To8080AndUpWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (ServiceProxy proxy = ServiceProxy.reserve(taken.getLocalPort(), true)) {
                assertThat(proxy.port()).isNotEqualTo(taken.getLocalPort()).isGreaterThanOrEqualTo(8080);
            }
        }
    }
}
