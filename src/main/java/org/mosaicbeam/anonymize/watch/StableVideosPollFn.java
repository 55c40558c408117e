package org.mosaicbeam.anonymize.watch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Watch.Growth.PollFn;
import org.apache.beam.sdk.transforms.Watch.Growth.PollResult;
import org.joda.time.Instant;

/**
 * One poll of the watched location: lists a file pattern through Beam {@link FileSystems} (local
 * or s3://) and returns the videos (.mov, .mp4) that have not been modified for the settle time,
 * i.e. whose upload or copy has finished. A file still growing is simply not returned yet; {@link
 * org.apache.beam.sdk.transforms.Watch} returns each path only once.
 */
final class StableVideosPollFn extends PollFn<String, String> {
  private final long settleMillis;

  StableVideosPollFn(long settleMillis) {
    this.settleMillis = settleMillis;
  }

  @Override
  public PollResult<String> apply(String filePattern, Context c) throws IOException {
    Instant now = Instant.now();
    List<String> stable = new ArrayList<>();
    MatchResult match = FileSystems.match(filePattern, EmptyMatchTreatment.ALLOW);
    for (MatchResult.Metadata file : match.metadata()) {
      String name = file.resourceId().getFilename();
      // lastModifiedMillis is 0 where a file system does not know it; S3 objects are complete anyway.
      boolean settled = now.getMillis() - file.lastModifiedMillis() >= settleMillis;
      if (name != null && isVideo(name) && !name.startsWith(".") && settled) {
        stable.add(file.resourceId().toString());
      }
    }
    // The watermark says: nothing older than now will appear any more from this poll.
    return PollResult.incomplete(now, stable).withWatermark(now);
  }

  static boolean isVideo(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    return lower.endsWith(".mov") || lower.endsWith(".mp4");
  }
}
