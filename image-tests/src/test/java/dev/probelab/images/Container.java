package dev.probelab.images;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One app container, started hardened as the lab's pods run it: read-only root file system (and no
 * tmpfs), every capability dropped, no privilege escalation, port 8080 published on loopback.
 */
final class Container implements AutoCloseable {

    static final String AMD64 = "linux/amd64";
    static final String ARM64 = "linux/arm64";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** A /healthz answer. */
    record Answer(int status, String body) {
    }

    final String id;
    final String platform;
    /** System.nanoTime() just before `docker run`: the app's uptime is never more than the time since. */
    final long runAt;
    private final URI base;

    private Container(String id, String platform, long runAt, URI base) {
        this.id = id;
        this.platform = platform;
        this.runAt = runAt;
        this.base = base;
    }

    /** Pulls {@code image} for {@code platform} from the registry, then runs it hardened with {@code env}. */
    static Container start(AppImage image, String platform, Map<String, String> env) {
        return start(image, platform, env, List.of());
    }

    /** As {@link #start(AppImage, String, Map)}, with more {@code docker run} options. */
    static Container start(AppImage image, String platform, Map<String, String> env, List<String> runOptions) {
        pull(image, platform);
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--pull", "never", "--platform", platform,
                "--name", "image-test-" + image.module + "-" + UUID.randomUUID().toString().substring(0, 8),
                "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "--publish", "127.0.0.1::8080"));
        args.addAll(runOptions);
        env.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        args.add(image.reference());
        long runAt = System.nanoTime();
        String id = Docker.output(args.toArray(String[]::new));
        try {
            String hostPort = Docker.output("port", id, "8080/tcp").lines().findFirst().orElseThrow();
            return new Container(id, platform, runAt, URI.create("http://" + hostPort));
        } catch (RuntimeException e) {
            Docker.run(Duration.ofSeconds(30), "rm", "--force", id); // no Container to close: remove it here
            throw e;
        }
    }

    static void pull(AppImage image, String platform) {
        Docker.run(Duration.ofMinutes(3), "pull", "--quiet", "--platform", platform, image.reference()).output();
    }

    /** The files the app's JVM (the container's PID 1) has mapped into memory. */
    List<String> mappedFiles() {
        return Docker.output("exec", id, "cat", "/proc/1/maps").lines()
                .map(line -> line.strip().split("\\s+"))
                .filter(fields -> fields.length >= 6)
                .map(fields -> fields[5])
                .distinct().toList();
    }

    /** GET /healthz, with or without the liveness probe's {@code health: check} header; throws until the app listens. */
    Answer healthz(boolean healthCheckHeader) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(5));
        if (healthCheckHeader) {
            request.header("health", "check");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Polls /healthz until the app answers at all, and returns that first answer. */
    Answer firstAnswer(boolean healthCheckHeader, Duration atMost) {
        return await("first /healthz answer from " + platform + " container " + id)
                .atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> healthz(healthCheckHeader), answer -> true);
    }

    /** Polls /healthz until it answers {@code status}. */
    Answer awaitStatus(boolean healthCheckHeader, int status, Duration atMost) {
        return await("/healthz " + status + " from " + platform + " container " + id)
                .atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> healthz(healthCheckHeader), answer -> answer.status() == status);
    }

    Duration sinceRun() {
        return Duration.ofNanos(System.nanoTime() - runAt);
    }

    String logs() {
        Docker.Result logs = Docker.run(Duration.ofSeconds(30), "logs", id);
        return logs.stdout() + logs.stderr();
    }

    /** "os/architecture" of the image this container runs. */
    String imagePlatform() {
        String imageId = Docker.output("inspect", "--format", "{{.Image}}", id);
        return Docker.output("image", "inspect", "--format", "{{.Os}}/{{.Architecture}}", imageId);
    }

    /** UIDs of the container's processes, as the host sees them (docker top needs the pid column too). */
    List<String> processUids() {
        return Docker.output("top", id, "-o", "pid,uid").lines().skip(1)
                .map(line -> line.strip().split("\\s+")[1]).toList();
    }

    String state(String goTemplate) {
        return Docker.output("inspect", "--format", goTemplate, id);
    }

    @Override
    public void close() {
        Docker.run(Duration.ofSeconds(30), "rm", "--force", id);
    }
}
