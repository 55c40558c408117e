package org.mosaicbeam.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mosaicbeam.io.NativeLibraryCache;

/**
 * Starts ONNX Runtime so that a run leaves nothing behind in the system temp folder.
 *
 * <p>Its native library: ONNX Runtime 1.29's Java loader copies libonnxruntime.so (28 MB) into a
 * new {@code /tmp/onnxruntime-java*} folder on every start and removes it only at a normal JVM exit
 * ({@code deleteOnExit}, and the folder itself not even then: it is registered before its files).
 * One machine had 98 empty such folders and a 28 MB one per killed run. Here the libraries are
 * copied once into {@link NativeLibraryCache}'s folder and ONNX Runtime loads them from there
 * ({@code onnxruntime.native.path}); the empty folder its loader still creates is removed right
 * after loading.
 *
 * <p>Telemetry: its Linux build starts Microsoft's 1DS telemetry when the environment is created:
 * an empty {@code mat-debug-<pid>.log} in $TMPDIR on every run, a {@code .ses} file there, a device
 * id under {@code ~/.cache/Microsoft}, and uploads to a Microsoft endpoint. Only the variable
 * {@code ORT_DISABLE_TELEMETRY=1} in the process's environment turns all of it off, and a JVM
 * cannot set its own environment: scripts/mosaicbeam, scripts/flink-cluster and the Maven test
 * setup set it. Without it this class says so once, switches the events off and deletes the empty
 * log.
 */
final class OnnxRuntimeLoader {
  static final String NO_TELEMETRY = "ORT_DISABLE_TELEMETRY";
  private static final String[] LIBRARIES = {"onnxruntime", "onnxruntime4j_jni"};
  private static boolean prepared;

  private OnnxRuntimeLoader() {}

  /** The process's ONNX Runtime environment, its libraries loaded from the cache folder. */
  static synchronized OrtEnvironment environment() {
    if (!prepared) {
      prepared = true;
      useCachedLibraries();
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      removeLoaderTempFolder();
      if (!telemetryDisabledByEnvironment()) {
        System.err.println(
            "mosaicbeam: "
                + NO_TELEMETRY
                + "=1 is not set, so ONNX Runtime "
                + "started its telemetry in this process; set it before starting Java "
                + "(scripts/mosaicbeam does)");
        try {
          env.setTelemetry(false);
        } catch (OrtException | RuntimeException e) {
          // older builds have no switch: nothing more to do
        }
        File log =
            new File(
                tempFolderOfNativeCode(), "mat-debug-" + ProcessHandle.current().pid() + ".log");
        if (log.isFile() && log.length() == 0) {
          log.delete();
        }
      }
      return env;
    }
    return OrtEnvironment.getEnvironment();
  }

  static boolean telemetryDisabledByEnvironment() {
    String v = System.getenv(NO_TELEMETRY);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** Where the native code puts its temp files: $TMPDIR, else /tmp (not java.io.tmpdir). */
  static File tempFolderOfNativeCode() {
    String tmp = System.getenv("TMPDIR");
    return new File(tmp != null && !tmp.isEmpty() ? tmp : "/tmp");
  }

  /**
   * Points ONNX Runtime at cached copies of its libraries (copying them there once), when this code
   * was loaded by the application class loader (the launcher, tests). A Flink TaskManager loads
   * each job's classes in a class loader of its own, and the JVM refuses a library file that
   * another class loader already loaded ("already loaded in another classloader": the second job on
   * a TaskManager failed), so there ONNX Runtime keeps its own copy per load.
   */
  private static void useCachedLibraries() {
    if (System.getProperty("onnxruntime.native.path") != null
        || OnnxRuntimeLoader.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
      return; // the user chose, or a job's own class loader
    }
    try {
      String platform = platform();
      URL[] libs = new URL[LIBRARIES.length];
      for (int i = 0; i < libs.length; i++) {
        libs[i] =
            OnnxRuntimeLoader.class.getResource(
                "/ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(LIBRARIES[i]));
        if (libs[i] == null) {
          return; // not in the jar: ONNX Runtime looks on java.library.path itself
        }
      }
      File dir = NativeLibraryCache.folderFor("onnxruntime-" + platform, libs);
      System.setProperty("onnxruntime.native.path", dir.getAbsolutePath());
    } catch (IOException | RuntimeException e) {
      // ONNX Runtime falls back to its own temp-folder copy: slower to start, same results
      System.err.println(
          "mosaicbeam: cannot cache ONNX Runtime's native library ("
              + e
              + "); it unpacks into the temp folder instead");
    }
  }

  /** ONNX Runtime's name for this platform's folder in its jar (e.g. linux-x64). */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o =
        os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
    String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch;
    return o + "-" + a;
  }

  /**
   * Deletes the (empty) temp folder ONNX Runtime's loader creates even when it loads from {@code
   * onnxruntime.native.path}; it would only go at a normal JVM exit. Best effort: the field is
   * private to ONNX Runtime 1.29.
   */
  private static void removeLoaderTempFolder() {
    try {
      Field f = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
      f.setAccessible(true);
      if (f.get(null) instanceof Path p) {
        Files.deleteIfExists(p); // fails, harmlessly, when not empty
      }
    } catch (ReflectiveOperationException | IOException | RuntimeException e) {
      // another ONNX Runtime version: its folder goes at exit as before
    }
  }
}
