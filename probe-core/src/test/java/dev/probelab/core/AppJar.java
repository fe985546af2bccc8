package dev.probelab.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An app's built jar running as a real process ({@code java -jar}), as a user starts it.
 * Output goes to files under target/ so a failing test can show it.
 */
public final class AppJar implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int port;

    private AppJar(Process process, Path stdout, Path stderr, int port) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.port = port;
    }

    /** Starts {@code target/<module>.jar} of the module under test with {@code env} added; PORT is a free port unless given. */
    public static AppJar start(String module, Map<String, String> env) {
        Path jar = Path.of("target", module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the tests with `./mvnw verify`");
        }
        Map<String, String> fullEnv = new HashMap<>(env);
        int port = fullEnv.containsKey(Settings.PORT) ? -1 : freePort();
        fullEnv.putIfAbsent(Settings.PORT, String.valueOf(port));
        try {
            Path dir = Files.createDirectories(Path.of("target", "app-jar-runs"));
            Path out = Files.createTempFile(dir, module, ".out");
            Path err = Files.createTempFile(dir, module, ".err");
            // The JVM running the tests, so a JDK 25 build also runs the app on JDK 25.
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(fullEnv);
            return new AppJar(builder.start(), out, err, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Sends SIGTERM, as `docker stop` and the kubelet do. */
    public void sigterm() {
        process.destroy();
    }

    /** The exit status, or a failure if the process is still running after {@code within}. */
    public int exitStatus(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + within + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
