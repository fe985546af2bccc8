package dev.probelab.runner;

import dev.probelab.lab.ObservedRun;
import dev.probelab.lab.kubelet.KubeletVersion;
import dev.probelab.runner.kubelet.ContainerRuntime;
import dev.probelab.runner.kubelet.PodEvent;
import dev.probelab.runner.kubelet.PodKubelet;
import dev.probelab.runner.kubelet.PodObserver;
import dev.probelab.runner.kubelet.PodPlan;
import dev.probelab.runner.kubelet.ProbeExecutor;
import dev.probelab.runner.kubelet.Scheduler;
import dev.probelab.runner.manifest.LabManifest;
import dev.probelab.runner.manifest.ServicePlan;
import dev.probelab.runner.output.Console;
import dev.probelab.runner.output.PodPrinter;
import dev.probelab.runner.output.PodStatusLine;
import dev.probelab.runner.output.Summary;
import dev.probelab.runner.service.ServiceProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** One run of a manifest: its pods on the kubelet logic, its Services on localhost, the console. */
final class LabRun implements PodObserver {

    private record ServicePort(ServicePlan service, ServicePlan.Port port, ServiceProxy proxy) {
    }

    private final LabManifest manifest;
    private final Scheduler scheduler;
    private final Console console;
    private final List<PodKubelet> pods = new ArrayList<>();
    private final List<ServicePort> servicePorts = new ArrayList<>();
    /** The `kubectl get pods -w` lines printed for each pod, with the time each was printed. */
    private final Map<PodKubelet, List<PrintedLine>> printed = new HashMap<>();

    private record PrintedLine(Duration at, PodStatusLine line) {
    }

    LabRun(LabManifest manifest, ContainerRuntime runtime, ProbeExecutor probes, Scheduler scheduler, Console console,
            KubeletVersion version) {
        this.manifest = manifest;
        this.scheduler = scheduler;
        this.console = console;
        for (PodPlan plan : manifest.pods()) {
            pods.add(new PodKubelet(plan, runtime, probes, scheduler, this, version));
        }
    }

    /**
     * Reserves each Service port on localhost: the Service's own port if it can be bound, else
     * {@code servicePort} when given (0: any free port), else the first free one from 8080.
     */
    void openServices(Integer servicePort) throws IOException {
        for (ServicePlan service : manifest.services()) {
            for (ServicePlan.Port port : service.ports()) {
                ServiceProxy proxy = servicePort != null ? ServiceProxy.reserve(servicePort, false)
                        : ServiceProxy.reserve(port.port(), true);
                servicePorts.add(new ServicePort(service, port, proxy));
                String note = proxy.port() == port.port() || servicePort != null ? ""
                        : " (port " + port.port() + " is not free to this user: using " + proxy.port() + ")";
                console.info("lab: Service " + service.name() + " port " + port.port() + " -> http://localhost:"
                        + proxy.port() + note + "; refuses connections while no pod is ready");
            }
        }
    }

    /** Admits every pod (their workers' tick phase is set now) on the kubelet thread. */
    void start() {
        scheduler.execute(() -> pods.forEach(PodKubelet::admit));
    }

    @Override
    public void podChanged(PodKubelet pod) {
        PodStatusLine line = PodPrinter.line(pod.status(), pod.version().showsLastRestartAge());
        if (console.pod(line)) {
            printed.computeIfAbsent(pod, p -> new ArrayList<>()).add(new PrintedLine(scheduler.now(), line));
        }
        for (ServicePort sp : servicePorts) {
            List<InetSocketAddress> ready = new ArrayList<>();
            for (PodKubelet p : pods) {
                if (sp.service().selects(p.labels()) && p.ready()) {
                    p.endpoint(sp.port().targetPort()).ifPresent(ready::add);
                }
            }
            sp.proxy().update(ready);
        }
    }

    @Override
    public void event(PodKubelet pod, PodEvent event) {
        console.event(pod.name(), event, scheduler.now());
    }

    /** The `--summary json` object, read on the kubelet thread, where the pods' state changes. */
    Summary summary() {
        try {
            return onKubeletThread(() -> new Summary(pods.stream().map(this::observed).toList()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the pods' state", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the pods' state", e);
        }
    }

    private ObservedRun observed(PodKubelet pod) {
        Duration origin = pod.firstStartedAt() == null ? Duration.ZERO : pod.firstStartedAt();
        List<ObservedRun.PodLine> lines = printed.getOrDefault(pod, List.of()).stream()
                .map(p -> new ObservedRun.PodLine(ObservedRun.seconds(p.at().minus(origin)), p.line().ready(), p.line().status(),
                        p.line().restarts()))
                .toList();
        return pod.observedRun(scheduler.now(), lines);
    }

    /** Runs {@code read} on the kubelet thread (the pods' state is that thread's alone) and waits for it. */
    private <T> T onKubeletThread(Supplier<T> read) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.execute(() -> {
            try {
                result.complete(read.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(5, TimeUnit.SECONDS);
    }

    /** Stops every pod (SIGTERM, then SIGKILL after {@code grace}) and every Service port; waits for the containers. */
    void stop(Duration grace) {
        servicePorts.forEach(sp -> sp.proxy().close());
        CompletableFuture<List<CompletableFuture<Void>>> stopping = new CompletableFuture<>();
        scheduler.execute(() -> stopping.complete(pods.stream().map(p -> p.shutdown(grace)).toList()));
        try {
            List<CompletableFuture<Void>> stops = stopping.get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(grace.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            // A start still under way when the stop came is stopped as soon as it completes.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (onKubeletThread(() -> pods.stream().anyMatch(PodKubelet::starting)) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the runtime's close() kills what is left
        }
    }
}
