package dev.probelab.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty answers some requests before they reach Javalin (malformed request lines, headers over
 * the size limit, bad URIs). This makes those answers JSON in the apps' shape, never HTML or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setDefaultResponseMimeType(MimeTypes.Type.APPLICATION_JSON.asString());
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(body(code, message));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    static String body(int code, String message) {
        String text = message == null || message.isBlank()
                ? org.eclipse.jetty.http.HttpStatus.getMessage(code)
                : message;
        try {
            return Mapper.JSON.writeValueAsString(JsonAnswer.error(code + " " + text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Created on the first error answer, not at start-up: a mapper takes longer to set up than the server. */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
