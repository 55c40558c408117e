package org.mosaicbeam.anonymize.watch;

import java.io.IOException;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.mosaicbeam.anonymize.Inputs;

/**
 * On each tick, lists the watched file pattern through Beam {@link FileSystems} (local or s3://)
 * and outputs the videos (the extensions of Inputs.VIDEO_EXTENSIONS) that have not changed for the
 * settle time, i.e. whose upload or copy has finished, as (path, size). A file still growing is
 * left for a later tick.
 */
class ListSettledVideos extends DoFn<Long, KV<String, Long>> {
  private final String filePattern;
  private final long settleMillis;

  ListSettledVideos(String filePattern, long settleMillis) {
    this.filePattern = filePattern;
    this.settleMillis = settleMillis;
  }

  @ProcessElement
  public void process(OutputReceiver<KV<String, Long>> out) throws IOException {
    long now = System.currentTimeMillis();
    MatchResult match = FileSystems.match(filePattern, EmptyMatchTreatment.ALLOW);
    for (MatchResult.Metadata file : match.metadata()) {
      String name = file.resourceId().getFilename();
      // lastModifiedMillis is 0 where a file system does not know it; S3 objects are complete
      // anyway.
      boolean settled = now - file.lastModifiedMillis() >= settleMillis;
      if (name != null && isVideo(name) && !name.startsWith(".") && settled) {
        out.output(KV.of(file.resourceId().toString(), file.sizeBytes()));
      }
    }
  }

  /** The extensions a batch run takes from a folder ({@link Inputs#VIDEO_EXTENSIONS}). */
  static boolean isVideo(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot >= 0
        && Inputs.VIDEO_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
