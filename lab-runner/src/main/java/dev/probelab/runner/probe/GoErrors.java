package dev.probelab.runner.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/**
 * The kubelet is written in Go: its probe messages carry Go's error texts. These turn Java's
 * exceptions into the same words, so an event reads as it would on a cluster.
 */
final class GoErrors {

    private GoErrors() {
    }

    /** net.Dial's error for {@code host:port}: "dial tcp 127.0.0.1:8080: connect: connection refused". */
    static String dial(String hostPort, IOException e) {
        String prefix = "dial tcp " + hostPort + ": ";
        if (e instanceof SocketTimeoutException || e instanceof HttpTimeoutException) {
            return prefix + "i/o timeout";
        }
        if (e instanceof NoRouteToHostException) {
            return prefix + "connect: no route to host";
        }
        if (e instanceof UnknownHostException) {
            return "dial tcp: lookup " + hostPort.substring(0, Math.max(0, hostPort.lastIndexOf(':'))) + ": no such host";
        }
        if (e instanceof ConnectException) {
            return prefix + "connect: connection refused";
        }
        return prefix + text(e);
    }

    /** http.Client.Do's error: `Get "url": <cause>`. */
    static String get(String url, String hostPort, IOException e) {
        String cause;
        if (e instanceof HttpTimeoutException) {
            // HttpConnectTimeoutException included: Go's client timeout reads the same while dialing.
            cause = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
        } else if (e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException) {
            cause = dial(hostPort, e);
        } else {
            String message = text(e).toLowerCase(Locale.ROOT);
            if (message.contains("reset")) {
                cause = "read: connection reset by peer";
            } else if (message.contains("eof") || message.contains("closed") || message.contains("no bytes")) {
                cause = "EOF";
            } else {
                cause = text(e);
            }
        }
        return "Get \"" + url + "\": " + cause;
    }

    private static String text(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
