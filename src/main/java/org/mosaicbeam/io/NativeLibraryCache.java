package org.mosaicbeam.io;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.Loader;

/**
 * One copy of each bundled native library in a cache folder, instead of a fresh copy in the temp
 * folder on every start. ONNX Runtime (28 MB) and snappy-java (Beam's) unpack theirs into
 * java.io.tmpdir each run and delete them only at a normal JVM exit (deleteOnExit): a killed run
 * leaves them there for good. Both can load from a path given in a system property instead. Copies
 * are named by the jar entry's CRC, so another version gets its own.
 */
public final class NativeLibraryCache {
  private NativeLibraryCache() {}

  /**
   * {@code <project>/.cache/native/} when run from a checkout (scripts/mosaicbeam sets
   * mosaicbeam.home), else JavaCPP's cache (~/.javacpp/cache, where OpenCV's and FFmpeg's libraries
   * already are).
   */
  public static File root() throws IOException {
    String home = System.getProperty("mosaicbeam.home");
    return home != null ? new File(home, ".cache/native") : Loader.getCacheDir();
  }

  /**
   * The folder {@code <root>/<name>-<crc>/} holding the resources (native libraries in a jar) under
   * their own file names, copied there on first use.
   */
  public static File folderFor(String name, URL... resources) throws IOException {
    long version = 17;
    URLConnection[] connections = new URLConnection[resources.length];
    for (int i = 0; i < resources.length; i++) {
      connections[i] = resources[i].openConnection();
      long v =
          connections[i] instanceof JarURLConnection j && j.getJarEntry() != null
              ? j.getJarEntry().getCrc()
              : connections[i].getContentLengthLong();
      version = version * 31 + v;
    }
    File dir = new File(root(), name + "-" + Long.toHexString(version));
    for (int i = 0; i < resources.length; i++) {
      String path = resources[i].getPath();
      File target = new File(dir, path.substring(path.lastIndexOf('/') + 1));
      if (!target.isFile() || target.length() != connections[i].getContentLengthLong()) {
        copy(connections[i], target);
      }
    }
    return dir;
  }

  /** Copies through a temporary name: two processes starting at once never load half a file. */
  private static void copy(URLConnection from, File target) throws IOException {
    Files.createDirectories(target.getParentFile().toPath());
    Path tmp =
        Files.createTempFile(target.getParentFile().toPath(), "." + target.getName(), ".tmp");
    try (InputStream in = from.getInputStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          tmp,
          target.toPath(),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Points snappy-java (Beam loads it) at a cached copy of its library (org.xerial.snappy.lib.path
   * and .name); call before anything uses it. Without this, every run unpacked {@code
   * snappy-1.1.10-<uuid>-libsnappyjava.so} into java.io.tmpdir.
   */
  public static void useForSnappy() {
    if (System.getProperty("org.xerial.snappy.lib.path") != null) {
      return; // the user chose
    }
    try {
      String name = System.mapLibraryName("snappyjava");
      URL url =
          NativeLibraryCache.class.getResource(
              "/org/xerial/snappy/native/"
                  + org.xerial.snappy.OSInfo.getNativeLibFolderPathForCurrentOS()
                  + "/"
                  + name);
      if (url == null) {
        return;
      }
      File dir = folderFor("snappy", url);
      System.setProperty("org.xerial.snappy.lib.path", dir.getAbsolutePath());
      System.setProperty("org.xerial.snappy.lib.name", name);
    } catch (IOException | RuntimeException | LinkageError e) {
      // snappy-java unpacks into the temp folder as before
    }
  }
}
