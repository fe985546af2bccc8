package dev.probelab.runner.probe;

import dev.probelab.runner.kubelet.ProbeExecutor;
import dev.probelab.runner.kubelet.ProbeHandler;
import dev.probelab.runner.kubelet.ProbeOutcome;
import dev.probelab.runner.kubelet.ProbeSettings;
import dev.probelab.runner.kubelet.RunningContainer;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The real probe handlers, each attempt on a thread of its own (they block up to timeoutSeconds). */
public final class Probers implements ProbeExecutor, AutoCloseable {

    private final HttpGetProber http;
    private final TcpSocketProber tcp = new TcpSocketProber();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "probe");
        t.setDaemon(true);
        return t;
    });

    /** {@code userAgent}: what the kubelet played sends with its httpGet probes. */
    public Probers(String userAgent) {
        this.http = new HttpGetProber(userAgent);
    }

    @Override
    public CompletionStage<ProbeOutcome> probe(ProbeSettings probe, RunningContainer container) {
        ProbeHandler handler = probe.handler();
        if (handler instanceof ProbeHandler.Exec exec) {
            return container.exec(exec.command(), probe.timeout());
        }
        return CompletableFuture.supplyAsync(() -> {
            if (handler instanceof ProbeHandler.HttpGet get) {
                return http.probe(get.scheme(), target(container, get.host(), get.port()), get.path(), get.headers(),
                        probe.timeout());
            }
            ProbeHandler.TcpSocket socket = (ProbeHandler.TcpSocket) handler;
            return tcp.probe(target(container, socket.host(), socket.port()), probe.timeout());
        }, threads);
    }

    /** The pod's address for the port, or the spec's own host (then the port as written). */
    private static InetSocketAddress target(RunningContainer container, String host, int port) {
        return host == null || host.isEmpty() ? container.address(port) : new InetSocketAddress(host, port);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
