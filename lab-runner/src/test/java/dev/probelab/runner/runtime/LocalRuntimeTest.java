package dev.probelab.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.probelab.runner.kubelet.ContainerPlan;
import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ProbeOutcome;
import dev.probelab.runner.kubelet.RunningContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The busybox container as local processes: its own /tmp, busybox's messages, PID 1's deaf ear to SIGTERM. */
class LocalRuntimeTest {

    /** Not @TempDir: it warns about every busybox applet symlink it deletes. */
    private final Path work = createWorkDir();

    private LocalRuntime runtime;

    private LocalRuntime runtime() {
        Busybox busybox = Busybox.find(work).orElse(null);
        if (busybox == null) {
            System.out.println("LocalRuntimeTest: skipped: no busybox on PATH (apt-get install busybox)");
        }
        assumeThat(busybox).as("busybox on PATH").isNotNull();
        runtime = new LocalRuntime(new ImageCatalog(work), busybox, work);
        return runtime;
    }

    @AfterEach
    void cleanUp() {
        if (runtime != null) {
            runtime.close(); // kills whatever a failed test left running
        }
        LocalRuntime.deleteTree(work);
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("local-runtime-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunningContainer start(String pod, String script) throws Exception {
        ContainerPlan c = new ContainerPlan("liveness2", "busybox:1.36.1", List.of(), List.of("/bin/sh", "-c", script),
                Map.of(), List.of(), Map.of());
        PodPlan plan = new PodPlan(pod, "default", "uid", Map.of(), "Always", 30, List.of(c));
        RunningContainer running = runtime.start(plan, c, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return running;
    }

    private static ProbeOutcome cat(RunningContainer c) throws Exception {
        return c.exec(List.of("cat", "/tmp/healthy"), Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachContainerHasItsOwnTmpAndBusyboxsMessages() throws Exception {
        runtime();
        RunningContainer creates = start("a", "touch /tmp/healthy; sleep 600");
        RunningContainer doesNot = start("b", "sleep 600");
        await().atMost(Duration.ofSeconds(5)).until(() -> cat(creates).result() == dev.probelab.runner.kubelet.Result.SUCCESS);
        assertThat(cat(doesNot)).isEqualTo(ProbeOutcome.failure("cat: can't open '/tmp/healthy': No such file or directory"));
    }

    @Test
    void theShellIgnoresSigtermLikePid1AndSigkillEndsItWithItsChildren() throws Exception {
        runtime();
        RunningContainer c = start("a", "sleep 600");
        RunningContainer other = start("b", "sleep 600");
        await().atMost(Duration.ofSeconds(5)).until(() -> pids(c).size() >= 1);
        List<ProcessHandle> tree = pids(c);
        long begin = System.nanoTime();
        int exit = c.stop(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertThat(exit).as("killed by SIGKILL").isEqualTo(137);
        assertThat(tookMillis).as("waited the grace period").isBetween(1900L, 5000L);
        await().atMost(Duration.ofSeconds(2)).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(other.exit().toCompletableFuture()).isNotDone();
    }

    /** The container's processes: the shell and what it runs. */
    private static List<ProcessHandle> pids(RunningContainer c) {
        long pid = Long.parseLong(c.id().substring(c.id().lastIndexOf("pid-") + 4));
        List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            all.add(p);
            p.descendants().forEach(all::add);
        });
        return all;
    }

    @Test
    void tmpIsRewrittenOnlyWhereItIsAPath() {
        Path tmp = Path.of("/work/x/tmp");
        assertThat(LocalRuntime.rewriteTmp(List.of("touch /tmp/healthy; rm -f /tmp/healthy", "/tmp", "/tmpfile", "a/tmp/b"), tmp))
                .containsExactly("touch /work/x/tmp/healthy; rm -f /work/x/tmp/healthy", "/work/x/tmp", "/tmpfile", "a/tmp/b");
    }

    @Test
    void imageNamesMapToOurModulesOrBusybox() {
        ImageCatalog images = new ImageCatalog(Path.of("/repo"));
        assertThat(images.resolve("probe-lab/liveness-app:1.0.0"))
                .isEqualTo(new ImageCatalog.App("liveness-app", Path.of("/repo/liveness-app/target/liveness-app.jar")));
        assertThat(images.resolve("127.0.0.1:5000/probe-lab/startup-app:1.0.0"))
                .isEqualTo(new ImageCatalog.App("startup-app", Path.of("/repo/startup-app/target/startup-app.jar")));
        assertThat(images.resolve("stepanowon/nodeapp-readiness:1.0.0"))
                .isEqualTo(new ImageCatalog.App("readiness-app", Path.of("/repo/readiness-app/target/readiness-app.jar")));
        assertThat(images.resolve("multiarch/busybox:amd64-slim")).isInstanceOf(ImageCatalog.Busybox.class);
        assertThat(images.resolve("busybox:1.36.1")).isInstanceOf(ImageCatalog.Busybox.class);
        assertThat(images.resolve("nginx:1.27")).isInstanceOf(ImageCatalog.Unknown.class);
    }
}
