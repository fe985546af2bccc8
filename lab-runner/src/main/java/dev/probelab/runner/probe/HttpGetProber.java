package dev.probelab.runner.probe;

import dev.probelab.runner.kubelet.ProbeHandler.Header;
import dev.probelab.runner.kubelet.ProbeOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * pkg/probe/http as the kubelet runs it: success iff 200 <= status < 400; User-Agent
 * kube-probe/&lt;version&gt; and Accept *&#47;* unless the spec sets them; no keep-alive; same-host
 * redirects followed (at most 10), an off-host redirect is a success with a warning; timeoutSeconds
 * bounds the whole request; at most 10 KiB of body read.
 */
public final class HttpGetProber {

    static final int MAX_REDIRECTS = 10;
    static final int MAX_BODY = 10 * 1024;

    static {
        // The kubelet's transport disables keep-alive; the JDK client sends "Connection: close" only if allowed.
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection,host");
        }
    }

    private final String userAgent;

    /** {@code userAgent}: the kubelet's, kube-probe/&lt;major&gt;.&lt;minor&gt; (KubeletVersion.probeUserAgent). */
    public HttpGetProber(String userAgent) {
        this.userAgent = userAgent;
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public ProbeOutcome probe(String scheme, InetSocketAddress address, String path, List<Header> headers,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI original = url(scheme, address, path);
        URI current = original;
        for (int redirects = 0; ; redirects++) {
            String urlText = current.toString();
            HttpResponse<byte[]> response;
            try {
                response = send(current, headers, deadline);
            } catch (IOException e) {
                return ProbeOutcome.failure(GoErrors.get(urlText, hostPort(current), e));
            }
            int status = response.statusCode();
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (status >= 300 && status < 400) {
                String location = response.headers().firstValue("Location").orElse(null);
                if (location != null) {
                    URI next = current.resolve(location);
                    if (!Objects.equals(hostname(next), hostname(original))) {
                        // redirectChecker(followNonLocalRedirects=false): stop, keep the 3xx answer.
                        return ProbeOutcome.successWithWarning("Probe terminated redirects, Response body: " + body);
                    }
                    if (redirects + 1 >= MAX_REDIRECTS) {
                        return ProbeOutcome.failure("Get \"" + next + "\": stopped after 10 redirects");
                    }
                    current = next;
                    continue;
                }
            }
            if (status >= 200 && status < 400) {
                return status >= 300
                        ? ProbeOutcome.successWithWarning("Probe terminated redirects, Response body: " + body)
                        : ProbeOutcome.success();
            }
            return ProbeOutcome.failure("HTTP probe failed with statuscode: " + status);
        }
    }

    /** Headers and body (up to {@link #MAX_BODY}) together, so the deadline bounds both. */
    private HttpResponse<byte[]> send(URI uri, List<Header> headers, long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new java.net.http.HttpTimeoutException("request timed out");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(remaining));
        boolean agentSet = false;
        boolean acceptSet = false;
        for (Header h : headers) {
            String name = h.name().toLowerCase(Locale.ROOT);
            agentSet |= name.equals("user-agent");
            acceptSet |= name.equals("accept");
            request.header(h.name(), h.value());
        }
        if (!agentSet) {
            request.header("User-Agent", userAgent);
        }
        if (!acceptSet) {
            request.header("Accept", "*/*");
        }
        request.header("Connection", "close");
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request.build(), info -> new LimitedBody());
        try {
            return response.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new java.net.http.HttpTimeoutException("request timed out");
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    /** At most {@link #MAX_BODY} bytes of the body, then done; a body that fails to read reads as empty. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                byte[] chunk = new byte[Math.min(b.remaining(), MAX_BODY - bytes.size())];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
            if (bytes.size() >= MAX_BODY) {
                subscription.cancel();
                result.complete(bytes.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.complete(new byte[0]);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    static URI url(String scheme, InetSocketAddress address, String path) {
        String p = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        return URI.create(scheme.toLowerCase(Locale.ROOT) + "://" + hostPort(address) + p);
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + (uri.getPort() == -1 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort());
    }

    private static String hostname(URI uri) {
        return uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
    }
}
