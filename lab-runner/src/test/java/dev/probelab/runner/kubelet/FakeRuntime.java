package dev.probelab.runner.kubelet;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;

/** Containers on the fake clock: they start at once, stop as told, and can crash on cue. */
final class FakeRuntime implements ContainerRuntime {

    /** How a container reacts to SIGTERM. */
    enum OnSigterm { EXITS_AT_ONCE, IGNORES }

    final List<FakeContainer> containers = new ArrayList<>();
    private final FakeScheduler clock;
    OnSigterm onSigterm = OnSigterm.EXITS_AT_ONCE;
    /** Per instance: after how long it exits by itself (null: it runs until stopped). */
    IntFunction<Duration> crashAfter = instance -> null;
    /** Per instance: why its start fails (null: it starts). */
    IntFunction<RuntimeException> startFails = instance -> null;

    FakeRuntime(FakeScheduler clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<RunningContainer> start(PodPlan pod, ContainerPlan container, int instance) {
        RuntimeException startFailure = startFails.apply(instance);
        if (startFailure != null) {
            return CompletableFuture.failedFuture(startFailure);
        }
        FakeContainer c = new FakeContainer("fake://" + pod.name() + "/" + container.name() + "/" + instance, clock.now());
        containers.add(c);
        Duration crash = crashAfter.apply(instance);
        if (crash != null) {
            clock.schedule(crash, () -> c.exit.complete(1));
        }
        return CompletableFuture.completedFuture(c);
    }

    FakeContainer last() {
        return containers.get(containers.size() - 1);
    }

    final class FakeContainer extends ContainerInstance {
        final Duration startedAt;
        Duration sigtermAt;
        Duration grace;

        FakeContainer(String id, Duration startedAt) {
            super(id, new CompletableFuture<>());
            this.startedAt = startedAt;
        }

        Duration uptime() {
            return clock.now().minus(startedAt);
        }

        @Override
        public CompletionStage<Integer> stop(Duration grace) {
            if (sigtermAt == null) {
                sigtermAt = clock.now();
                this.grace = grace;
                if (onSigterm == OnSigterm.EXITS_AT_ONCE) {
                    exit.complete(0);
                } else {
                    clock.schedule(grace, () -> exit.complete(137)); // SIGKILL
                }
            }
            return exit;
        }

        @Override
        public InetSocketAddress address(int containerPort) {
            return InetSocketAddress.createUnresolved("fake", containerPort);
        }

        @Override
        public CompletionStage<ProbeOutcome> exec(List<String> command, Duration timeout) {
            throw new UnsupportedOperationException("probes are scripted");
        }

        @Override
        public void remove() {
        }
    }
}
