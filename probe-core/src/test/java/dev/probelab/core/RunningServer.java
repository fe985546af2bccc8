package dev.probelab.core;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;

/** A probe app's real HTTP server on an ephemeral port, on a fake clock, for REST Assured tests. */
public final class RunningServer implements AutoCloseable {

    public static final String TEST_HOSTNAME = "nodeapp-test-5cc89fd495-wtq4x";

    private final ProbeServer server;
    private final FakeClock clock = new FakeClock();

    private RunningServer(AppSpec app, Duration timing) {
        this.server = ProbeServer.start(app, timing, "127.0.0.1", 0, clock, Map.of("HOSTNAME", TEST_HOSTNAME));
    }

    /** Starts {@code app} with its timing read from {@code env} exactly as the app's main does. */
    public static RunningServer start(AppSpec app, Map<String, String> env) {
        return new RunningServer(app, Settings.from(app, env).timing());
    }

    /** Starts {@code app} with the course's default timing. */
    public static RunningServer start(AppSpec app) {
        return start(app, Map.of());
    }

    /**
     * A request to the server. Like the kubelet's probes it turns keep-alive off: an idle
     * keep-alive connection would hold up each test's graceful stop for about 2 s.
     */
    public RequestSpecification request() {
        return given().baseUri("http://127.0.0.1").port(server.port()).header("Connection", "close");
    }

    public int port() {
        return server.port();
    }

    /** Moves time forward since the server started listening. */
    public void advance(Duration by) {
        clock.advance(by);
    }

    @Override
    public void close() {
        server.stop();
    }
}
