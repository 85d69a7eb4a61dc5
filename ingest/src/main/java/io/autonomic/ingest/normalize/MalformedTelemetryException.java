package io.autonomic.ingest.normalize;

/**
 * Input that cannot be read as the telemetry format it claims to be. The message names the problem
 * first ("truncated protobuf: ...", "not OTLP JSON: ...") so that it can go as-is into an HTTP 400
 * body or a DeadLetter reason.
 */
public class MalformedTelemetryException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedTelemetryException(String message) {
    super(message);
  }

  public MalformedTelemetryException(String message, Throwable cause) {
    super(message, cause);
  }
}
