package dev.probelab.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every app's built jar must do as a real process, on the real clock, with its timing
 * shortened from the environment: flip its /healthz answer, log, stop cleanly, reject bad settings.
 * Each app's IT extends this with its own names.
 */
public abstract class AppJarContract {

    /** Short enough for a test, long enough that the first answer comes before the flip. */
    private static final String SHORT_TIMING = "5s";

    protected abstract String module();

    protected abstract String timingVariable();

    /** /healthz status before the timing has passed: readiness and startup fail first. */
    protected int statusBefore() {
        return 500;
    }

    /** /healthz status after the timing has passed. */
    protected int statusAfter() {
        return 200;
    }

    /** Headers the lab's probe sends (liveness1.yaml sends health: check). */
    protected Map<String, String> probeHeaders() {
        return Map.of();
    }

    /**
     * Loads REST Assured before any app starts: its first request takes seconds on a busy machine,
     * which would otherwise eat the app's short timing before the first answer arrives.
     */
    @BeforeAll
    static void warmUpTheHttpClient() {
        try {
            RestAssured.given().baseUri("http://127.0.0.1").port(1).get("/");
        } catch (Exception expected) { // REST Assured throws ConnectException undeclared
            // nothing listens on port 1: only the class loading mattered
        }
    }

    @Test
    void flipsAfterTheShortenedTimingAndStopsCleanlyOnSigterm() throws Exception {
        try (AppJar app = AppJar.start(module(), Map.of(timingVariable(), SHORT_TIMING, "HOSTNAME", "pod-a"))) {
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> status(app) == statusBefore());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> status(app) == statusAfter());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(5));
            RestAssured.given().baseUri(app.baseUri()).get("/").then().statusCode(200);

            app.sigterm();

            assertThat(app.exitStatus(Duration.ofSeconds(10))).as("exit status after SIGTERM").isZero();
            assertThat(app.stdout())
                    .contains(module() + " " + BuildInfo.version() + " listening on port " + app.port() + "; ")
                    .contains(timingVariable() + "=" + SHORT_TIMING)
                    .containsPattern("GET /healthz " + statusAfter() + " uptime=\\d+\\.\\ds agent=\\S+")
                    .contains("SIGTERM received: stopped gracefully")
                    .doesNotContain("Javalin");
            assertThat(app.stderr()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5s", ""})
    void aBadTimingStopsTheAppWithOneLine(String value) throws Exception {
        assertStopsWithOneLine(Map.of(timingVariable(), value), 2,
                module() + ": " + timingVariable() + "=\"" + value + "\" is not a duration: use ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"eighty", "0", "70000"})
    void aBadPortStopsTheAppWithOneLine(String value) throws Exception {
        assertStopsWithOneLine(Map.of(Settings.PORT, value), 2,
                module() + ": PORT=\"" + value + "\" is not a port: use a whole number from 1 to 65535");
    }

    @Test
    void aPortInUseStopsTheAppWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertStopsWithOneLine(Map.of(Settings.PORT, String.valueOf(taken.getLocalPort())), 1,
                    module() + ": cannot listen on port " + taken.getLocalPort() + ": ");
        }
    }

    private void assertStopsWithOneLine(Map<String, String> env, int exitStatus, String message) throws Exception {
        try (AppJar app = AppJar.start(module(), env)) {
            assertThat(app.exitStatus(Duration.ofSeconds(20))).isEqualTo(exitStatus);
            assertThat(app.stderr()).startsWith(message).hasLineCount(1).doesNotContain("Exception");
            assertThat(app.stdout()).isEmpty();
        }
    }

    private int status(AppJar app) {
        return RestAssured.given().baseUri(app.baseUri()).headers(probeHeaders()).get("/healthz").statusCode();
    }
}
