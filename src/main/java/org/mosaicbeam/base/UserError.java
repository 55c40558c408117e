package org.mosaicbeam.base;

/**
 * An error in what the user asked for or supplied (bad option, unreadable input). The launcher
 * prints its message as one line and exits with status 2, without a stack trace.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
