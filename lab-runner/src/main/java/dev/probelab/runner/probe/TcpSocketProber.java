package dev.probelab.runner.probe;

import dev.probelab.runner.kubelet.ProbeOutcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** pkg/probe/tcp: success iff a TCP connection completes within the timeout. */
public final class TcpSocketProber {

    public ProbeOutcome probe(InetSocketAddress address, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            return ProbeOutcome.success();
        } catch (IOException e) {
            return ProbeOutcome.failure(GoErrors.dial(HttpGetProber.hostPort(address), e));
        }
    }
}
