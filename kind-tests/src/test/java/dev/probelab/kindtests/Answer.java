package dev.probelab.kindtests;

/** What one HTTP request through the Service got. */
public sealed interface Answer {

    /** An HTTP response (from the app, or from a proxy in front of it). */
    record Response(int status, String body) implements Answer {
        @Override
        public String toString() {
            String b = body == null ? "" : body.replaceAll("\\s+", " ").strip();
            return status + " " + (b.length() > 120 ? b.substring(0, 120) + "..." : b);
        }
    }

    /** No HTTP response at all: refused, reset/closed, or timed out. */
    record NoAnswer(String why) implements Answer {
        @Override
        public String toString() {
            return "no answer (" + why + ")";
        }
    }

    default boolean isStatus(int status) {
        return this instanceof Response r && r.status() == status;
    }

    /** A response carrying the apps' info page ({@code GET /}): only a pod, never a proxy, sends that. */
    default boolean isAppPage() {
        return this instanceof Response r && r.status() == 200 && r.body() != null && r.body().contains("hostname:");
    }

    /** The info page's {@code hostname: <name>} line names {@code podName}. */
    default boolean isAppPageOf(String podName) {
        return isAppPage() && ((Response) this).body().matches("(?s).*hostname:\\s*" + java.util.regex.Pattern.quote(podName) + "\\s*<.*");
    }
}
