package org.mosaicbeam.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Several detectors on the same frame (faces and plates, local and remote); any failure fails the
 * frame (fail closed). Measures each part's CPU time, so summaries can say what each costs.
 */
public final class CombinedDetector implements Detector {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** A detector and what it looks for. */
  public record Part(String name, Detector detector) {}

  private final List<Part> parts;
  private final long[] cpuNanos;

  public CombinedDetector(List<Part> parts) {
    this.parts = List.copyOf(parts);
    this.cpuNanos = new long[parts.size()];
  }

  @Override
  public List<Detection> detect(Mat bgr) throws Exception {
    List<Detection> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      long t0 = THREADS.getCurrentThreadCpuTime();
      try {
        out.addAll(parts.get(i).detector().detect(bgr));
      } finally {
        cpuNanos[i] += THREADS.getCurrentThreadCpuTime() - t0;
      }
    }
    return out;
  }

  /** Each part's CPU time; a part that is itself combined reports its own parts. */
  @Override
  public Map<String, Long> cpuNanosByPart() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Map<String, Long> inner = parts.get(i).detector().cpuNanosByPart();
      if (inner.isEmpty()) {
        out.merge(parts.get(i).name(), cpuNanos[i], Long::sum);
      } else {
        inner.forEach((k, v) -> out.merge(k, v, Long::sum));
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (Part p : parts) {
      p.detector().close();
    }
  }
}
