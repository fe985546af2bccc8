package dev.probelab.core;

/** The JSON body of every answer: the originals' two health answers, and errors in the same shape. */
public record JsonAnswer(String status, String message) {

    /** Exactly the Node.js apps' bodies, byte for byte. */
    public static final JsonAnswer AVAILABLE = new JsonAnswer("ok", "server : available.");
    public static final JsonAnswer NOT_AVAILABLE = new JsonAnswer("fail", "server : not available");

    /**
     * {@link #AVAILABLE} and {@link #NOT_AVAILABLE} as JSON, written out so that /healthz needs no
     * JSON mapper: setting one up costs more than the rest of the first answer (JsonAnswerTest checks
     * these are exactly what Jackson writes).
     */
    static final String AVAILABLE_JSON = "{\"status\":\"ok\",\"message\":\"server : available.\"}";
    static final String NOT_AVAILABLE_JSON = "{\"status\":\"fail\",\"message\":\"server : not available\"}";

    public static JsonAnswer error(String message) {
        return new JsonAnswer("error", message);
    }
}
