package io.mechsweep.training.checkpoint;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * The file operations a {@link RunStore} needs, on paths given as strings (a local path or a
 * URI): {@link HadoopFiles} on Spark machines (any Hadoop file system), {@link LocalFiles} where
 * no Hadoop jars travel (train-packs on a GPU machine).
 */
public interface StoreFiles extends Serializable {

  /** Writes the whole file or nothing: readers see the old file or the new one. */
  void writeAtomically(String path, byte[] bytes) throws IOException;

  /** The file's bytes; {@link CorruptFileException} when the file system's own checksum fails. */
  byte[] read(String path) throws IOException;

  boolean exists(String path) throws IOException;

  /** The names of the directories directly under {@code dir}; none when it does not exist. */
  List<String> subdirectories(String dir) throws IOException;

  /** A file whose bytes the file system itself found damaged (a checksum mismatch). */
  final class CorruptFileException extends IOException {
    public CorruptFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
