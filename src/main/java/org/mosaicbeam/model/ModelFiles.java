package org.mosaicbeam.model;

import java.io.File;
import org.bytedeco.javacpp.Loader;
import org.mosaicbeam.base.UserError;

/** Where the fetched models live, and the OpenCV cascades shipped inside the opencv jar. */
public final class ModelFiles {
  private ModelFiles() {}

  public static final String BLAZEFACE = "blazeface/face_detection_back_256x256_barracuda.onnx";

  /** {@code --modelDir}, else {@code $MOSAICBEAM_MODELS}, else {@code <project>/.cache/models}. */
  public static File dir(LocalDetectorOptions options) {
    if (options.getModelDir() != null && !options.getModelDir().isEmpty()) {
      return new File(options.getModelDir());
    }
    String env = System.getenv("MOSAICBEAM_MODELS");
    if (env != null && !env.isEmpty()) {
      return new File(env);
    }
    String home = System.getProperty("mosaicbeam.home", ".");
    return new File(home, ".cache/models");
  }

  /** A fetched model file; a clear error when scripts/fetch-models has not been run. */
  public static File fetched(LocalDetectorOptions options, String relative) {
    File f = new File(dir(options), relative);
    if (!f.isFile()) {
      throw new UserError(
          "model " + f + " is missing: run scripts/fetch-models (or pass " + "--modelDir=DIR)");
    }
    return f;
  }

  /** A user-supplied model file. */
  public static File user(String path, String flag) {
    File f = new File(path);
    if (!f.isFile()) {
      throw new UserError(flag + "=" + path + ": no such model file");
    }
    return f;
  }

  /** An OpenCV Haar cascade from the bytedeco opencv jar, extracted to JavaCPP's cache. */
  public static File opencvCascade(String name) {
    try {
      return Loader.cacheResource(
          "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/haarcascades/" + name);
    } catch (Exception e) {
      throw new UserError("OpenCV cascade " + name + " not found in the opencv jar: " + e, e);
    }
  }
}
