package io.mechsweep.training.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link StoreFiles} on the local file system through java.nio, without Hadoop: what train-packs
 * uses on a machine that has only the training jars. Paths are plain or {@code file:} URIs.
 */
public final class LocalFiles implements StoreFiles {

  /** Whether {@code root} names the local file system (a plain path or a {@code file:} URI). */
  public static boolean isLocal(String root) {
    return !root.contains(":") || root.startsWith("file:");
  }

  static Path local(String path) {
    return path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
  }

  @Override
  public void writeAtomically(String path, byte[] bytes) throws IOException {
    Path target = local(path);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public byte[] read(String path) throws IOException {
    return Files.readAllBytes(local(path));
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(local(path));
  }

  @Override
  public List<String> subdirectories(String dir) throws IOException {
    Path d = local(dir);
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(d)) {
      return names;
    }
    try (Stream<Path> entries = Files.list(d)) {
      entries.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }
}
