package org.mosaicbeam.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.mosaicbeam.base.UserError;

/**
 * What a failed subcommand prints: one line and an exit status, instead of a stack trace (a dataset
 * run whose s3:// output was unreachable printed 104 lines). A {@link UserError} anywhere in the
 * chain (also when a pipeline worker threw it) is a problem with the input or an option: status 2.
 * Anything else is a runtime failure (disk full, a server down): status 1, with the message of the
 * exception that says what happened (the wrappers around it only repeat it).
 */
record FailureLine(int status, String line) {
  /** Longer messages are cut: the AWS SDK's credential-chain message alone is ~1,200 characters. */
  static final int MAX_LENGTH = 500;

  static FailureLine of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UserError) {
        return new FailureLine(2, oneLine(t.getMessage()));
      }
    }
    Throwable own = failure;
    while (own.getCause() != null && isWrapper(own)) {
      own = own.getCause();
    }
    boolean expected =
        own instanceof java.io.IOException
            || own.getClass().getName().startsWith("software.amazon.");
    String message =
        own.getMessage() == null || own.getMessage().isBlank()
            ? own.getClass().getSimpleName()
            : expected
                ? own.getMessage()
                : own.getClass().getSimpleName() + ": " + own.getMessage();
    return new FailureLine(
        1, oneLine(message) + (expected ? "" : " (--verbose prints the stack trace)"));
  }

  /** An exception that only carries another one (its message, if any, is the cause's). */
  private static boolean isWrapper(Throwable t) {
    if (t instanceof InvocationTargetException
        || t instanceof ExecutionException
        || t instanceof CompletionException
        || t instanceof java.io.UncheckedIOException
        || t.getClass()
            .getName()
            .equals("org.apache.beam.sdk.Pipeline$PipelineExecutionException")) {
      return true;
    }
    String message = t.getMessage();
    return message == null || message.equals(t.getCause().toString());
  }

  private static String oneLine(String message) {
    String line = String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "…";
  }
}
