package org.mosaicbeam.anonymize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.List;

/**
 * What became of one input video: the element AnonymizeVideos outputs and one line of the run
 * report ({@code results.jsonl}, written by ReportResults).
 *
 * @param output the MP4 written; null when the video failed
 * @param frames frames decoded, masked and encoded (for a failed video: those of its segments that
 *     were done before it failed)
 * @param framesMaskedWhole frames masked whole because the detector failed near them
 * @param failure why no MP4 was written, one line naming the input; null when it was written
 * @param notes what was done beyond the usual (a truncated input kept, timestamps moved)
 * @param verify what {@code --verify} found in the written video; null when it did not run
 */
public record VideoResult(
    String video,
    String output,
    long frames,
    long regionsMasked,
    long framesMaskedWhole,
    String failure,
    List<String> notes,
    VideoVerifier.Report verify)
    implements Serializable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public VideoResult {
    notes = List.copyOf(notes);
  }

  VideoResult withVerify(VideoVerifier.Report report) {
    return new VideoResult(
        video, output, frames, regionsMasked, framesMaskedWhole, failure, notes, report);
  }

  static VideoResult failed(
      String video, String failure, long frames, long regionsMasked, long framesMaskedWhole) {
    return new VideoResult(
        video, null, frames, regionsMasked, framesMaskedWhole, failure, List.of(), null);
  }

  boolean written() {
    return failure == null;
  }

  /** The report line (one JSON object, no line break). */
  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // strings and numbers only: cannot happen
    }
  }

  static VideoResult fromJson(String line) throws JsonProcessingException {
    return JSON.readValue(line, VideoResult.class);
  }
}
