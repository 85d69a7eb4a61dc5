package io.autonomic.stack.flink;

import io.autonomic.stack.StackException;

/** A Flink REST call that failed for an expected reason (no cluster, a rejected jar, a job that failed). */
public final class FlinkRestException extends StackException {
  public FlinkRestException(String message) {
    super(message);
  }
}
