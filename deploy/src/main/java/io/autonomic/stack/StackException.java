package io.autonomic.stack;

/** An expected failure of the local stack, reported to the operator as one message without a trace. */
public class StackException extends RuntimeException {
  public StackException(String message) {
    super(message);
  }
}
