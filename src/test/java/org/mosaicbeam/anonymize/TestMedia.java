package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Test media made with Debian's ffmpeg (installed by scripts/setup) and facts read back with
 * ffprobe and a real JavaCV decode.
 */
public final class TestMedia {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Clip geometry: an 8-bit frame-index strip on top, a fine checkerboard patch, a gradient. */
  static final int W = 320;

  static final int H = 240;
  static final int STRIP = 32;
  static final int PX = 180;
  static final int PY = 80;
  static final int PS = 120;

  private TestMedia() {}

  /** The video filter drawing that pattern: bit b of the frame number is block b of the strip. */
  public static String pattern(String rate, double seconds) {
    return "nullsrc=s="
        + W
        + "x"
        + H
        + ":r="
        + rate
        + ":d="
        + seconds
        + ",geq=lum='if(lt(Y,"
        + STRIP
        + "),255*mod(floor(N/pow(2,floor(X/40))),2),"
        + "if(between(X,"
        + PX
        + ","
        + (PX + PS - 1)
        + ")*between(Y,"
        + PY
        + ","
        + (PY + PS - 1)
        + "),128+60*(2*mod(floor(X/3)+floor(Y/3),2)-1),60+X/3))':cb=128:cr=128";
  }

  public static void ffmpeg(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
    cmd.addAll(List.of(args));
    run(cmd);
  }

  static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    return out;
  }

  static JsonNode probe(File f) throws Exception {
    return JSON.readTree(
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_streams",
                "-show_format",
                f.getPath())));
  }

  static JsonNode stream(JsonNode probe, String type) {
    for (JsonNode s : probe.get("streams")) {
      if (s.get("codec_type").asText().equals(type)) {
        return s;
      }
    }
    return null;
  }

  /** Presentation times of the video frames as ffprobe prints them (exact decimal strings). */
  public static List<String> frameTimes(File f) throws Exception {
    return ptsTimes(f, "frame");
  }

  /** ffprobe's pts_time of each video {@code entry} ("frame" or "packet"), exactly as printed. */
  public static List<String> ptsTimes(File f, String entry) throws Exception {
    JsonNode j =
        JSON.readTree(
            run(
                List.of(
                    "ffprobe",
                    "-v",
                    "error",
                    "-select_streams",
                    "v:0",
                    "-show_entries",
                    entry + "=pts_time",
                    "-print_format",
                    "json",
                    f.getPath())));
    List<String> out = new ArrayList<>();
    for (JsonNode e : j.get(entry + "s")) {
      out.add(e.get("pts_time").asText());
    }
    return out;
  }

  /** A silent H.264 test clip ({@link #pattern}), a keyframe every {@code gop} frames. */
  public static void x264Clip(File out, String rate, double seconds, int gop) throws Exception {
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        pattern(rate, seconds),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        String.valueOf(gop),
        "-pix_fmt",
        "yuv420p",
        out.getPath());
  }

  /** Every frame decoded to grey (luma-like) byte arrays, row-major at the frame's width. */
  static List<int[]> decodeGray(File f) throws Exception {
    List<int[]> frames = new ArrayList<>();
    try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(f);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      g.setImageMode(org.bytedeco.javacv.FrameGrabber.ImageMode.GRAY);
      g.start();
      Frame fr;
      while ((fr = g.grabImage()) != null) {
        Mat m = conv.convert(fr);
        int[] px = new int[m.cols() * m.rows()];
        try (UByteIndexer idx = m.createIndexer()) {
          for (int y = 0; y < m.rows(); y++) {
            for (int x = 0; x < m.cols(); x++) {
              px[y * m.cols() + x] = idx.get(y, x);
            }
          }
        }
        frames.add(px);
      }
      g.stop();
    }
    return frames;
  }

  /** The frame index drawn in the strip (sampled at block centres). */
  static int frameIndex(int[] px) {
    int n = 0;
    for (int b = 0; b < 8; b++) {
      if (px[(STRIP / 2) * W + b * 40 + 20] > 128) {
        n |= 1 << b;
      }
    }
    return n;
  }

  /** Mean absolute horizontal gradient in a rectangle: high for detail, ~0 for flat areas. */
  static double detail(int[] px, int x0, int y0, int w, int h) {
    double sum = 0;
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w - 1; x++) {
        sum += Math.abs(px[y * W + x + 1] - px[y * W + x]);
        n++;
      }
    }
    return sum / n;
  }

  /** Mean absolute difference of two frames outside a rectangle (grown by margin). */
  static double diffOutside(int[] a, int[] b, int x0, int y0, int w, int h, int margin) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean inside =
            x >= x0 - margin && x < x0 + w + margin && y >= y0 - margin && y < y0 + h + margin;
        if (!inside) {
          sum += Math.abs(a[y * W + x] - b[y * W + x]);
          n++;
        }
      }
    }
    return sum / n;
  }
}
