package org.mosaicbeam.anonymize.watch;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.mosaicbeam.anonymize.AnonymizeOptions;

/**
 * Options of {@code mosaicbeam anonymize} (AnonymizeCommand): anonymize's, plus its streaming mode,
 * which keeps watching a folder or bucket prefix for new videos.
 */
public interface WatchOptions extends AnonymizeOptions {
  @Description(
      "Keep running and anonymize each new video that appears in this folder or s3://bucket/prefix/ "
          + "(instead of --input). An input whose output already exists is skipped, so a restart "
          + "never redoes finished work.")
  String getWatch();

  void setWatch(String value);

  @Description("With --watch: seconds between two listings of the watched location.")
  @Default.Integer(10)
  int getWatchIntervalSeconds();

  void setWatchIntervalSeconds(int value);

  @Description(
      "With --watch: a file is taken only once it has not changed (size, modification time) for "
          + "this many seconds, so a video still being copied in is not read half-written.")
  @Default.Integer(10)
  int getWatchSettleSeconds();

  void setWatchSettleSeconds(int value);
}
