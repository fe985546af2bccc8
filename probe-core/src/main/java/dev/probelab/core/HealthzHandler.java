package dev.probelab.core;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;

/**
 * GET/HEAD /healthz: 200 {@link JsonAnswer#AVAILABLE} or 500 {@link JsonAnswer#NOT_AVAILABLE},
 * as the app's rule decides; one log line per request so the probe period shows in the logs.
 */
final class HealthzHandler implements Handler {

    private final AppSpec app;
    private final Duration timing;
    private final Uptime uptime;
    private final Logger log;

    HealthzHandler(AppSpec app, Duration timing, Uptime uptime, Logger log) {
        this.app = app;
        this.timing = timing;
        this.uptime = uptime;
        this.log = log;
    }

    @Override
    public void handle(@NotNull Context ctx) {
        Duration elapsed = uptime.elapsed(); // once, so the log line shows the uptime that decided
        boolean healthy = app.rule().healthy(ctx, elapsed, timing);
        ctx.status(healthy ? HttpStatus.OK : HttpStatus.INTERNAL_SERVER_ERROR)
                .contentType(ContentType.APPLICATION_JSON)
                .result(healthy ? JsonAnswer.AVAILABLE_JSON : JsonAnswer.NOT_AVAILABLE_JSON);
        String agent = ctx.userAgent();
        log.info("{} /healthz {} uptime={} agent={}", ctx.method(), ctx.statusCode(), Uptime.format(elapsed),
                agent == null ? "-" : agent);
    }
}
