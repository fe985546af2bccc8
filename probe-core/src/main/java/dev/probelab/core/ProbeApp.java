package dev.probelab.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** The shared {@code main}: read settings, listen, log one start-up line, stop gracefully on SIGTERM/SIGINT. */
public final class ProbeApp {

    /** Exit status for a bad setting (a usage error, as in sysexits' EX_USAGE spirit). */
    static final int EXIT_BAD_SETTING = 2;
    static final int EXIT_CANNOT_LISTEN = 1;

    private ProbeApp() {
    }

    public static void run(AppSpec app) {
        Map<String, String> env = System.getenv();
        Settings settings;
        try {
            settings = Settings.from(app, env);
        } catch (SettingException e) {
            System.err.println(app.name() + ": " + e.getMessage());
            System.exit(EXIT_BAD_SETTING);
            return;
        }
        Logger log = LoggerFactory.getLogger(app.name());
        ProbeServer server;
        try {
            server = ProbeServer.start(app, settings.timing(), "0.0.0.0", settings.port(), MonotonicClock.system(), env);
        } catch (RuntimeException e) {
            System.err.println(app.name() + ": cannot listen on port " + settings.port() + ": " + rootMessage(e));
            System.exit(EXIT_CANNOT_LISTEN);
            return;
        }
        log.info("{} {} listening on port {}; {}", app.name(), BuildInfo.version(), server.port(),
                app.behaviour().formatted(app.timingVariable() + "=" + Settings.format(settings.timing())));
        String signal = awaitStopSignal();
        long begin = System.nanoTime();
        server.stop();
        log.info("SIG{} received: stopped gracefully in {} ms", signal,
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
        System.exit(0);
    }

    /**
     * Blocks the main thread until SIGTERM or SIGINT. The signals are handled here rather than in a
     * shutdown hook so that a graceful stop exits 0 (`docker stop` and the kubelet then report a clean
     * exit, not 143), and the stop runs on the main thread because it keeps the JVM alive: once Jetty's
     * threads end, only daemon threads, like a signal handler's, would be left and the JVM would exit
     * before the last log line.
     */
    private static String awaitStopSignal() {
        BlockingQueue<String> received = new ArrayBlockingQueue<>(2);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> received.offer(s.getName()));
        }
        while (true) {
            try {
                return received.take();
            } catch (InterruptedException e) {
                // nothing interrupts main on purpose; keep waiting for a signal
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
