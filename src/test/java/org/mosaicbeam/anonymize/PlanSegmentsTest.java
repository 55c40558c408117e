package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.video.Segment;

/** PlanSegments as a Beam step: segments cover every frame once, in order, from keyframes. */
class PlanSegmentsTest {
  @TempDir static File tmp;

  /** Hands each test its own TestPipeline (a parameter). */
  @RegisterExtension
  final transient TestPipelineExtension pipelines = TestPipelineExtension.create();

  static File clip;

  @BeforeAll
  static void makeClip() throws Exception {
    clip = new File(tmp, "gop25.mp4");
    // 100 frames, a keyframe every 25 frames, B-frames on (decode order != display order)
    TestMedia.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=160x120:rate=25:duration=4",
        "-c:v",
        "libx264",
        "-g",
        "25",
        "-keyint_min",
        "25",
        "-bf",
        "2",
        clip.getPath());
  }

  @Test
  void segmentsCoverEveryFrameOnceInOrder(TestPipeline p) throws Exception {
    File notVideo = new File(tmp, "notes.mp4");
    Files.writeString(notVideo.toPath(), "hello");
    String missing = new File(tmp, "gone.mp4").getPath(); // e.g. deleted since listed
    PCollectionTuple out =
        p.apply(Create.of(clip.getPath(), notVideo.getPath(), missing))
            .apply(
                ParDo.of(
                        new AnonymizeVideos.PlanSegmentsFn(
                            20,
                            AnonymizePipeline.config(
                                PipelineOptionsFactory.as(AnonymizeOptions.class))))
                    .withOutputTags(
                        AnonymizeVideos.SEGMENTS, TupleTagList.of(AnonymizeVideos.FAILED)));
    PAssert.that(out.get(AnonymizeVideos.SEGMENTS))
        .satisfies(
            segs -> {
              List<Segment> list = new ArrayList<>();
              segs.forEach(list::add);
              list.sort((a, b) -> Integer.compare(a.index(), b.index()));
              assertEquals(4, list.size()); // 20-frame target, cut only at the keyframes 25, 50, 75
              long next = 0;
              long lastPts = -1;
              for (Segment s : list) {
                assertEquals(next, s.firstFrame());
                assertEquals(25, s.frames());
                assertTrue(s.pts()[0] > lastPts);
                next += s.frames();
                lastPts = s.pts()[s.frames() - 1];
              }
              assertEquals(100, next);
              return null;
            });
    PAssert.that(out.get(AnonymizeVideos.FAILED))
        .satisfies(
            failed -> {
              List<String> inputs = new ArrayList<>();
              for (var f : failed) {
                inputs.add(f.getKey());
                String name = new File(f.getKey()).getName();
                assertTrue(f.getValue().error().contains(name), f.getValue().error());
              }
              inputs.sort(null);
              assertEquals(List.of(missing, notVideo.getPath()), inputs);
              return null;
            });
    p.run().waitUntilFinish();
  }
}
