package org.mosaicbeam.anonymize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.detection.DetectorFactory;
import org.mosaicbeam.model.Detection;
import org.mosaicbeam.model.Detector;

/**
 * anonymize's video, audit trail and run report are one set: when the audit cannot be published
 * (its folder stops accepting new entries mid-run: a real EPERM from the kernel, as on a folder
 * made read-only or immutable by someone else), the video of that run is not published either and
 * the previous run's video and audit stay byte for byte.
 */
class AnonymizeOutputSetTest {
  @TempDir Path dir;

  /**
   * Finds the test pattern's patch; on its first call also locks the folder named by the system
   * property.
   */
  static final DetectorFactory LOCKS_AUDIT_FOLDER =
      o ->
          (Detector)
              bgr -> {
                String folder = System.getProperty("test.lockFolder");
                if (folder != null && System.clearProperty("test.lockFolder") != null) {
                  lock(Path.of(folder), true);
                }
                return List.of(
                    new Detection(
                        Detection.FACE,
                        0.9f,
                        TestMedia.PX,
                        TestMedia.PY,
                        TestMedia.PS,
                        TestMedia.PS));
              };

  @Test
  void aFailedPublishLeavesThePreviousVideoAndAuditAsTheyWere() throws Exception {
    File clip = dir.resolve("clip.mp4").toFile();
    TestMedia.x264Clip(clip, "30", 1, 15);
    Path video = dir.resolve("out/ride.mp4");
    Path audit = dir.resolve("out/audit/ride.jsonl");
    String[] args = {
      "--input=" + clip, "--output=" + video, "--detections=" + audit, "--segmentFrames=15"
    };
    AnonymizePipeline.run(AnonymizePipelineTest.options(args), AnonymizePipelineTest.PATCH);
    byte[] videoBefore = Files.readAllBytes(video);
    byte[] auditBefore = Files.readAllBytes(audit);
    Path report = video.resolveSibling(AnonymizePipeline.REPORT);
    byte[] reportBefore = Files.readAllBytes(report);

    Path auditFolder = audit.getParent();
    System.setProperty("test.lockFolder", auditFolder.toString());
    Exception failure;
    try {
      // a different mask: had this run's video been published, its bytes would differ
      failure =
          assertThrows(
              Exception.class,
              () ->
                  AnonymizePipeline.run(
                      AnonymizePipelineTest.options(
                          args[0], args[1], args[2], args[3], "--mask=fill"),
                      LOCKS_AUDIT_FOLDER));
    } finally {
      System.clearProperty("test.lockFolder");
      lock(auditFolder, false);
    }
    assertArrayEquals(
        videoBefore, Files.readAllBytes(video), "the video of the failed run was published");
    assertArrayEquals(auditBefore, Files.readAllBytes(audit));
    assertArrayEquals(
        reportBefore, Files.readAllBytes(report), "the report of the failed run was published");
    assertTrue(
        String.valueOf(failure.getMessage()).contains("cannot publish " + audit),
        String.valueOf(failure));
    try (Stream<Path> out = Files.list(video.getParent())) {
      assertEquals(
          List.of("audit", "report-files", "report.html", "results.jsonl", "ride.mp4"),
          out.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /**
   * Makes a folder refuse new entries (or accept them again): immutable when running as root, whom
   * permissions do not stop; read-only otherwise.
   */
  static void lock(Path folder, boolean locked) {
    try {
      if ("root".equals(System.getProperty("user.name"))) {
        Process chattr =
            new ProcessBuilder("chattr", locked ? "+i" : "-i", folder.toString())
                .redirectErrorStream(true)
                .start();
        assumeTrue(chattr.waitFor() == 0, "chattr +i needs CAP_LINUX_IMMUTABLE and ext2/3/4");
      } else {
        assumeTrue(folder.toFile().setWritable(!locked));
      }
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
