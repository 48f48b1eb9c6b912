package io.mechsweep.datagen;

/**
 * Input a user gave that cannot be used: a file that is missing, unreadable, of the wrong kind, or
 * too small for the settings. The message is one line that names the field or file, what was
 * found and what to do; the command exits 2 with it (never "internal error", which is for bugs).
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
