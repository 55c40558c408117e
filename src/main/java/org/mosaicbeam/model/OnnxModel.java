package org.mosaicbeam.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.File;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * An ONNX Runtime session on a single-input model, set up the same way for every offline detector:
 * one intra-op thread (frames are processed in parallel already) and only errors logged.
 */
final class OnnxModel implements AutoCloseable {
  private final OrtEnvironment env = OnnxRuntimeLoader.environment(); // leaves nothing in /tmp
  private final OrtSession session;
  private final String inputName;
  private final long[] inputShape;

  OnnxModel(File model) throws OrtException {
    this(model.getPath(), null);
  }

  /** A model held in memory: read from a jar, or edited at load time (the any-size BlazeFace). */
  OnnxModel(byte[] model) throws OrtException {
    this(null, model);
  }

  private OnnxModel(String path, byte[] bytes) throws OrtException {
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      // No memory pattern: the text detector's session stayed at 215 MB instead of growing to
      // 315 MB on its second frame, at the same speed; switching the arena off as well saved
      // more but cost 28 % more CPU (every run then allocates and faults its buffers anew).
      so.setMemoryPatternOptimization(false);
      // graph-optimisation notes ("Removing initializer ...") are noise for users; errors stay
      so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      session = path != null ? env.createSession(path, so) : env.createSession(bytes, so);
    }
    inputName = session.getInputNames().iterator().next();
    inputShape = ((TensorInfo) session.getInputInfo().get(inputName).getInfo()).getShape();
  }

  /** The model's input shape as declared (-1 for a dynamic dimension). */
  long[] inputShape() {
    return inputShape.clone();
  }

  /** Runs the model on {@code input} in the given shape; the caller closes the result. */
  OrtSession.Result run(FloatBuffer input, long[] shape) throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, input, shape)) {
      return session.run(Map.of(inputName, t));
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
