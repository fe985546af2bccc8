package dev.probelab.runner.kubelet;

import java.time.Duration;
import java.util.PriorityQueue;

/** A scheduler whose clock moves only when a test says so; tasks run in time order, ties in submission order. */
final class FakeScheduler implements Scheduler {

    private record Task(Duration at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> {
        int c = a.at.compareTo(b.at);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private Duration now = Duration.ZERO;
    private long seq;

    @Override
    public Duration now() {
        return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now.plus(delay), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs everything due now, including what those tasks hand back at once. */
    void runPending() {
        advanceTo(now);
    }

    void advance(Duration d) {
        advanceTo(now.plus(d));
    }

    void advanceSeconds(double seconds) {
        advance(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    void advanceTo(Duration target) {
        while (!queue.isEmpty() && queue.peek().at.compareTo(target) <= 0) {
            Task t = queue.poll();
            now = t.at.compareTo(now) > 0 ? t.at : now;
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        if (target.compareTo(now) > 0) {
            now = target;
        }
    }
}
