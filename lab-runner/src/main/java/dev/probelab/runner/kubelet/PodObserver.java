package dev.probelab.runner.kubelet;

/** Told about everything a student would watch with kubectl. Called on the scheduler's thread. */
public interface PodObserver {

    /** The pod's status may have changed (READY, STATUS, RESTARTS). */
    void podChanged(PodKubelet pod);

    /** An event was recorded (or an aggregated one repeated). */
    void event(PodKubelet pod, PodEvent event);
}
