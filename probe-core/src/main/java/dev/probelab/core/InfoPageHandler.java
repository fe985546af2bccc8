package dev.probelab.core;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.jetbrains.annotations.NotNull;

/** GET/HEAD /: the readiness app's page from the course (name, version, hostname), plus uptime. */
final class InfoPageHandler implements Handler {

    private final String name;
    private final String hostname;
    private final Uptime uptime;

    InfoPageHandler(String name, String hostname, Uptime uptime) {
        this.name = name;
        this.hostname = hostname;
        this.uptime = uptime;
    }

    @Override
    public void handle(@NotNull Context ctx) {
        ctx.html("""

                <div>
                    <h2> %s </h2>
                    <h2> Version : %s </h2>
                    <h2> hostname: %s </h2>
                    <h2> uptime: %s </h2>
                </div>
                """.formatted(escape(name), escape(BuildInfo.version()), escape(hostname), Uptime.format(uptime.elapsed())));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
