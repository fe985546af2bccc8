package dev.probelab.core;

import io.javalin.Javalin;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One probe app's HTTP server: /healthz and / for GET and HEAD, JSON 404/405 for anything else,
 * uptime counted from the moment it listens.
 */
public final class ProbeServer {

    /** The probe endpoint, for GET and HEAD. */
    public static final String HEALTHZ = "/healthz";
    /** The info page naming the pod, for GET and HEAD. */
    public static final String INFO_PAGE = "/";
    /** Every path the server answers (anything else is a JSON 404). */
    public static final List<String> ROUTES = List.of(HEALTHZ, INFO_PAGE);

    /** How long a stop waits for in-flight requests; far inside Kubernetes' default 30 s grace period. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Javalin javalin;

    private ProbeServer(Javalin javalin) {
        this.javalin = javalin;
    }

    /**
     * Jetty pads its concurrent counters by the number of references per cache line; without this
     * property it asks the platform MBean server whether oops are compressed
     * ({@code org.eclipse.jetty.util.MemoryUtils}), which starts JMX and JFR's management bean: about a
     * fifth of the app's start. 16 is the answer for 64-byte lines and compressed oops (heaps under 32 GiB).
     */
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    /** Starts listening on {@code host:port} (port 0: any free port) and returns once it does. */
    public static ProbeServer start(AppSpec app, Duration timing, String host, int port,
                                    MonotonicClock clock, Map<String, String> env) {
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
        Uptime uptime = new Uptime(clock);
        Logger log = LoggerFactory.getLogger(app.name());
        HealthzHandler healthz = new HealthzHandler(app, timing, uptime, log);
        InfoPageHandler info = new InfoPageHandler(app.name(), Hostname.of(env), uptime);
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // A stop timeout makes Jetty's stop graceful: it stops accepting, then waits for
                // requests in flight (GracefulStopTest fails without it).
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
            });
            config.events.serverStarted(uptime::markListening);
            config.routes.get(HEALTHZ, healthz);
            config.routes.head(HEALTHZ, healthz);
            config.routes.get(INFO_PAGE, info);
            config.routes.head(INFO_PAGE, info);
            config.routes.error(HttpStatus.NOT_FOUND.getCode(), ctx -> ctx.json(
                    JsonAnswer.error("no such path: " + ctx.path())));
            config.routes.error(HttpStatus.METHOD_NOT_ALLOWED.getCode(), ctx -> ctx.json(
                    JsonAnswer.error("method " + ctx.method() + " not allowed on " + ctx.path())));
        });
        javalin.start();
        return new ProbeServer(javalin);
    }

    public int port() {
        return javalin.port();
    }

    /** Stops accepting, lets requests in flight finish (up to {@link #STOP_TIMEOUT}), then returns. */
    public void stop() {
        javalin.stop();
    }
}
