package dev.probelab.runner.kubelet;

/**
 * What one probe attempt returned. {@code error} set means the probe could not be run at all
 * (the kubelet throws such a result away); otherwise {@code result} with the handler's message.
 *
 * @param result  SUCCESS or FAILURE (UNKNOWN with an error)
 * @param output  the handler's message: "HTTP probe failed with statuscode: 500", a command's output...
 * @param warning true for a success the kubelet reports as ProbeWarning (an off-host redirect)
 * @param error   why the probe could not be run, or null
 */
public record ProbeOutcome(Result result, String output, boolean warning, String error) {

    public static ProbeOutcome success() {
        return new ProbeOutcome(Result.SUCCESS, "", false, null);
    }

    public static ProbeOutcome successWithWarning(String output) {
        return new ProbeOutcome(Result.SUCCESS, output, true, null);
    }

    public static ProbeOutcome failure(String output) {
        return new ProbeOutcome(Result.FAILURE, output, false, null);
    }

    public static ProbeOutcome error(String error) {
        return new ProbeOutcome(Result.UNKNOWN, "", false, error);
    }

    public boolean errored() {
        return error != null;
    }
}
