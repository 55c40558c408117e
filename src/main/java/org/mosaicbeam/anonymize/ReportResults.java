package org.mosaicbeam.anonymize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.LocalFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of anonymize: writes the run report ({@code results.jsonl}, one {@link VideoResult}
 * per line, in input order) and, when asked, the {@code --detections} audit trail (each written
 * video's per-frame lines, in input order), each through {@link AtomicOutput}.
 *
 * <p>A batch run gives the staging names of its OutputSet: report, audit and videos are published
 * together after the run, so a run that fails leaves the previous ones as they were. A stream
 * (unbounded input) has no end of run: each video's result goes to the report next to its output as
 * soon as it is done, with its run page ({@link RunPage}) beside it, and is logged.
 */
public final class ReportResults extends PTransform<PCollection<VideoResult>, PDone> {
  private static final Logger LOG = LoggerFactory.getLogger(ReportResults.class);

  private final SerializableFunction<VideoResult, String> reportFor;
  private final String audit;
  private final String workDir;

  private ReportResults(
      SerializableFunction<VideoResult, String> reportFor, String audit, String workDir) {
    this.reportFor = reportFor;
    this.audit = audit;
    this.workDir = workDir;
  }

  /**
   * One report for the whole run.
   *
   * @param audit where the audit trail goes (null: none); its parts are in {@code workDir}
   */
  public static ReportResults to(String report, String audit, String workDir) {
    return new ReportResults(r -> report, audit, workDir);
  }

  /**
   * A report per video, at the path {@code reportFor} gives (a stream: one video per window), with
   * its page beside it.
   *
   * @param workDir where the videos' audit parts are ({@link AnonymizeVideos#withAudit}): the
   *     page's chart is made from them, then they are deleted
   */
  public static ReportResults each(
      SerializableFunction<VideoResult, String> reportFor, String workDir) {
    return new ReportResults(reportFor, null, workDir);
  }

  @Override
  public PDone expand(PCollection<VideoResult> results) {
    boolean stream = results.isBounded() == PCollection.IsBounded.UNBOUNDED;
    results
        .apply("ByReport", WithKeys.of(reportFor))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), results.getCoder()))
        .apply("GroupByReport", GroupByKey.create())
        .apply("WriteReport", ParDo.of(new WriteReportFn(audit, workDir, stream)));
    return PDone.in(results.getPipeline());
  }

  /** Reads a report back (the summary of a batch run). */
  public static List<VideoResult> read(String report) throws IOException {
    List<VideoResult> results = new ArrayList<>();
    try (InputStream in =
            Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(report, false)));
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        results.add(VideoResult.fromJson(line));
      }
    }
    return results;
  }

  static class WriteReportFn extends DoFn<KV<String, Iterable<VideoResult>>, Void> {
    private final String audit;
    private final String workDir;
    // a stream: each report gets its page now and is logged (a batch run's page is made after the
    // run, published with the rest of its files)
    private final boolean stream;

    WriteReportFn(String audit, String workDir, boolean stream) {
      this.audit = audit;
      this.workDir = workDir;
      this.stream = stream;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<VideoResult>> report) throws IOException {
      List<VideoResult> results = new ArrayList<>();
      report.getValue().forEach(results::add);
      // input order: a batch run lists its inputs sorted by path
      results.sort(Comparator.comparing(VideoResult::video));
      AtomicOutput.write(
          report.getKey(),
          "application/jsonl",
          out -> {
            for (VideoResult r : results) {
              out.write((r.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            }
          });
      if (audit != null) {
        AtomicOutput.write(
            audit,
            "application/jsonl",
            out -> {
              for (VideoResult r : results) {
                String part = AnonymizeVideos.auditFile(workDir, r.video());
                if (r.written() && LocalFiles.matchExisting(part).isPresent()) {
                  try (InputStream in =
                      Channels.newInputStream(
                          FileSystems.open(FileSystems.matchNewResource(part, false)))) {
                    in.transferTo(out);
                  }
                }
              }
            });
      }
      if (stream) {
        String page = RunPage.writeAlone(report.getKey(), results, workDir);
        if (page != null) {
          LOG.info("anonymize: report page: open {}", page);
        }
        for (VideoResult r : results) {
          if (r.written()) {
            LOG.info(
                "anonymize: wrote {} -> {}: {} frames, {} masked regions, {} frames masked "
                    + "whole (detector failed){}",
                r.video(),
                r.output(),
                r.frames(),
                r.regionsMasked(),
                r.framesMaskedWhole(),
                r.notes().isEmpty() ? "" : "; " + String.join("; ", r.notes()));
          } else {
            LOG.warn("anonymize: FAILED {}", r.failure());
          }
        }
      }
    }
  }
}
