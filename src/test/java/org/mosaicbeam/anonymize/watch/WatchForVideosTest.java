package org.mosaicbeam.anonymize.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.ParDo;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch source on the DirectRunner, with a stand-in for the anonymize step that copies each
 * input to its output path: new files are picked up once, only when complete, inputs with an output
 * are skipped, and other files are ignored.
 */
class WatchForVideosTest {
  @TempDir Path temp;

  @Test
  void outputPathIsNameSlashMosaicSlashNameMp4() {
    assertEquals("/out/clip/mosaic/clip.mp4", WatchForVideos.outputFor("/out", "/in/clip.MOV"));
    assertEquals(
        "s3://b/out/a.b/mosaic/a.b.mp4",
        WatchForVideos.outputFor("s3://b/out/", "s3://b/in/a.b.mp4"));
    assertEquals("s3://b/in/*", WatchForVideos.filePattern("s3://b/in/"));
    assertEquals("/in/*", WatchForVideos.filePattern("/in"));
  }

  /** The watch takes what a batch run takes from a folder (Inputs.VIDEO_EXTENSIONS). */
  @Test
  void takesEveryVideoExtensionABatchRunTakes() {
    for (String name : List.of("a.mp4", "b.MOV", "c.mkv", "d.avi", "e.ts", "f.webm")) {
      assertTrue(ListSettledVideos.isVideo(name), name);
    }
    for (String name : List.of("notes.txt", "mp4", "clip.mp4.part", "photo.jpg")) {
      assertFalse(ListSettledVideos.isVideo(name), name);
    }
  }

  @Test
  void picksUpEachNewCompleteVideoOnceAndSkipsFinishedOnes() throws Exception {
    Path watched = Files.createDirectories(temp.resolve("incoming"));
    Path output = temp.resolve("out");
    // Finished before a "restart": its output exists and must stay untouched.
    Files.write(watched.resolve("done.mp4"), bytes(100, 1));
    Path doneOutput =
        Path.of(
            WatchForVideos.outputFor(output.toString(), watched.resolve("done.mp4").toString()));
    Files.createDirectories(doneOutput.getParent());
    Files.writeString(doneOutput, "finished earlier");

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(false);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply(
            new WatchForVideos(
                watched.toString(),
                output.toString(),
                Duration.millis(500),
                Duration.standardSeconds(2)))
        .apply(ParDo.of(new CopyToOutput(output.toString())));
    PipelineResult result = pipeline.run();
    try {
      // A video copied in two parts, one second apart: must be read only once complete.
      byte[] a = bytes(300_000, 2);
      Files.write(watched.resolve("a.mp4"), java.util.Arrays.copyOf(a, 1000));
      Thread.sleep(1000);
      Files.write(
          watched.resolve("a.mp4"),
          java.util.Arrays.copyOfRange(a, 1000, a.length),
          StandardOpenOption.APPEND);
      byte[] b = bytes(5000, 3);
      Files.write(watched.resolve("b.MOV"), b);
      Files.writeString(watched.resolve("notes.txt"), "not a video");

      Path aOut =
          Path.of(WatchForVideos.outputFor(output.toString(), watched.resolve("a.mp4").toString()));
      Path bOut =
          Path.of(WatchForVideos.outputFor(output.toString(), watched.resolve("b.MOV").toString()));
      long deadline = System.currentTimeMillis() + 60_000;
      while (!(Files.exists(aOut) && Files.exists(bOut)) && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.exists(aOut) && Files.exists(bOut), "outputs within 60 s");
      assertArrayEquals(a, Files.readAllBytes(aOut), "a.mp4 was read only once complete");
      assertArrayEquals(b, Files.readAllBytes(bOut));
      assertEquals(
          "finished earlier", Files.readString(doneOutput), "an input with an output is skipped");
      assertFalse(Files.exists(output.resolve("notes")), "only videos are inputs");
      // Polling goes on: a later file is picked up too, and earlier ones are not redone.
      Files.writeString(aOut, "marker");
      Files.write(watched.resolve("c.mp4"), bytes(10, 4));
      Path cOut =
          Path.of(WatchForVideos.outputFor(output.toString(), watched.resolve("c.mp4").toString()));
      deadline = System.currentTimeMillis() + 60_000;
      while (!Files.exists(cOut) && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.exists(cOut), "a later file within 60 s");
      assertEquals("marker", Files.readString(aOut), "each input once");
    } finally {
      result.cancel();
    }
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
