package org.mosaicbeam.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's ONNX Runtime sessions, each with its input fixed at one size, with that input: ONNX
 * Runtime plans a fixed-size graph's buffers once and runs it faster than the symbolic one
 * (BlazeFace at 1280×736: 102 vs 132 ms). A video needs one or two sizes; a folder of photos may
 * need many, so only the last few are kept.
 */
final class SizedModels implements AutoCloseable {
  private static final int MAX_SESSIONS = 4;

  /** A session and its input tensor. */
  record Sized(OnnxModel model, ModelInput input) {
    void close() {
      input.close();
      try {
        model.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Makes the session for a {@code width}×{@code height} input. */
  interface Factory {
    Sized create(int width, int height) throws Exception;
  }

  private final Factory factory;
  private final Map<Long, Sized> sessions =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Sized> eldest) {
          if (size() > MAX_SESSIONS) {
            eldest.getValue().close();
            return true;
          }
          return false;
        }
      };

  SizedModels(Factory factory) {
    this.factory = factory;
  }

  /** Sessions of a model with one input [1, 3, H, W] of BGR planes (YuNet, PlateNet). */
  static SizedModels bgrPlanes(byte[] onnx) {
    return new SizedModels(
        (w, h) ->
            new Sized(
                new OnnxModel(OnnxProto.withInputDims(onnx, "=1", null, "=" + h, "=" + w)),
                new ModelInput(w, h, true, false)));
  }

  /** The session and input for a {@code width}×{@code height} tensor. */
  Sized get(int width, int height) throws Exception {
    long key = ((long) width << 32) | height;
    Sized s = sessions.get(key);
    if (s == null) {
      s = factory.create(width, height);
      sessions.put(key, s);
    }
    return s;
  }

  /** The session and input for a {@code width}×{@code height} image searched at {@code scale}. */
  Sized scaled(int width, int height, double scale) throws Exception {
    return get(multipleOf32(width, scale), multipleOf32(height, scale));
  }

  /** {@code side} pixels scaled by {@code scale}, rounded up to a multiple of 32 (at least 32). */
  private static int multipleOf32(int side, double scale) {
    return Math.max(32, (int) Math.ceil(Math.round(side * scale) / 32.0) * 32);
  }

  @Override
  public void close() {
    for (Sized s : sessions.values()) {
      s.close();
    }
    sessions.clear();
  }
}
