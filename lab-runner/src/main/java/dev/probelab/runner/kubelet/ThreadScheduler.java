package dev.probelab.runner.kubelet;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The real clock: System.nanoTime and one daemon thread that runs every kubelet task. */
public final class ThreadScheduler implements Scheduler, AutoCloseable {

    private final long origin = System.nanoTime();
    /** The wall clock at {@link #origin}, for the second boundaries the kubelet truncates start times to. */
    private final long originWallMillis = System.currentTimeMillis();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> e.printStackTrace());
        return t;
    });

    @Override
    public Duration now() {
        return Duration.ofNanos(System.nanoTime() - origin);
    }

    @Override
    public Duration truncatedToSecond(Duration t) {
        return t.minusMillis(Math.floorMod(originWallMillis + t.toMillis(), 1000L));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = thread.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        if (!thread.isShutdown()) {
            thread.execute(guarded(task));
        }
    }

    /** A failing task must not stop the thread (a ScheduledExecutorService would swallow it silently). */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        };
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
