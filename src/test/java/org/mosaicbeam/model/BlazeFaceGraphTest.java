package org.mosaicbeam.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.io.File;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** The any-size BlazeFace against the fetched 256×256 original, on a real photograph. */
class BlazeFaceGraphTest {
  static final String[] OUTPUTS = {"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"};

  static File original() {
    return ModelFiles.fetched(DetectorsTest.options(), ModelFiles.BLAZEFACE);
  }

  @Test
  void at256TheEditedModelGivesTheOriginalsOutputs() throws Exception {
    byte[] bytes = Files.readAllBytes(original().toPath());
    at256TheOutputsAreTheOriginals(BlazeFaceGraph.anySize(bytes));
    at256TheOutputsAreTheOriginals(BlazeFaceGraph.forInput(bytes, 256, 256));
  }

  static void at256TheOutputsAreTheOriginals(byte[] edited) throws Exception {
    Mat photo = DetectorsTest.photo("examples/data/messi5.jpg");
    try (OnnxModel before = new OnnxModel(original());
        OnnxModel after = new OnnxModel(edited);
        ModelInput input = new ModelInput(256, 256, false)) {
      input.fill(photo, 1 / 127.5, -1, 0);
      try (OrtSession.Result a = before.run(input.buffer(), input.shape());
          OrtSession.Result b = after.run(input.buffer(), input.shape())) {
        for (String name : OUTPUTS) {
          OnnxTensor ta = (OnnxTensor) a.get(name).orElseThrow();
          OnnxTensor tb = (OnnxTensor) b.get(name).orElseThrow();
          assertArrayEquals(ta.getInfo().getShape(), tb.getInfo().getShape(), name);
          float[] va = values(ta);
          float[] vb = values(tb);
          for (int i = 0; i < va.length; i++) {
            assertEquals(va[i], vb[i], 1e-4f, name + "[" + i + "]");
          }
        }
      }
    }
  }

  @Test
  void anyMultipleOf32IsAccepted() throws Exception {
    byte[] bytes = Files.readAllBytes(original().toPath());
    for (byte[] edited :
        List.of(BlazeFaceGraph.anySize(bytes), BlazeFaceGraph.forInput(bytes, 736, 1280))) {
      at1280x736TheAnchorsAreThere(edited);
    }
  }

  static void at1280x736TheAnchorsAreThere(byte[] edited) throws Exception {
    try (OnnxModel model = new OnnxModel(edited);
        ModelInput input = new ModelInput(1280, 736, false)) {
      input.fill(DetectorsTest.photo("examples/data/messi5.jpg"), 1 / 127.5, -1, 0);
      try (OrtSession.Result r = model.run(input.buffer(), input.shape())) {
        // stride 16: 80×46 cells × 2 anchors; stride 32: 40×23 cells × 6
        assertArrayEquals(
            new long[] {1, 80 * 46 * 2, 1},
            ((OnnxTensor) r.get("Identity:0").orElseThrow()).getInfo().getShape());
        assertArrayEquals(
            new long[] {1, 40 * 23 * 6, 16},
            ((OnnxTensor) r.get("Identity_3:0").orElseThrow()).getInfo().getShape());
      }
    }
  }

  static float[] values(OnnxTensor t) {
    FloatBuffer fb = t.getFloatBuffer();
    float[] a = new float[fb.remaining()];
    fb.get(a);
    return a;
  }
}
