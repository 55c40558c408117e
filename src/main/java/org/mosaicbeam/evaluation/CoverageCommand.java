package org.mosaicbeam.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.model.Detection;

/**
 * {@code mosaicbeam coverage}: scores an anonymize run's audit trail ({@code --detections}) against
 * a motion set's truth ({@code make-motion-set}): per kind of motion, the share of object-frames
 * whose box the masks covered and the longest run of uncovered frames; and how many frames the
 * detector examined.
 */
public final class CoverageCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Options of the command. */
  public interface Options extends PipelineOptions {
    @Description("The motion set's truth.jsonl.")
    @Validation.Required
    String getTruth();

    void setTruth(String value);

    @Description("The audit trail anonymize wrote for the set's clips (--detections).")
    @Validation.Required
    String getDetections();

    void setDetections(String value);

    @Description("Exit with status 1 when the overall covered share is below this.")
    @Default.Double(0)
    double getMinCovered();

    void setMinCovered(double value);
  }

  private CoverageCommand() {}

  public static void main(String[] args) throws Exception {
    Options o = Cli.parse(args, Options.class);
    if (o != null) {
      Map<String, Coverage.Score> scores = run(o);
      if (scores.get("all").share() < o.getMinCovered()) {
        System.exit(1);
      }
    }
  }

  /** Scores and prints the table; returns the scores per kind ("all" last). */
  static Map<String, Coverage.Score> run(Options o) throws IOException {
    Map<String, JsonNode> audit = new HashMap<>(); // clip file name#frame -> audit line
    long examined = 0;
    for (JsonNode line : lines(new File(o.getDetections()))) {
      String clip = new File(line.path("video").asText()).getName();
      audit.put(clip + "#" + line.path("frame").asLong(), line);
      examined += line.path("detected").asBoolean() ? 1 : 0;
    }
    List<Coverage.ObjectFrame> frames = new ArrayList<>();
    for (JsonNode t : lines(new File(o.getTruth()))) {
      String clip = t.path("clip").asText();
      long frame = t.path("frame").asLong();
      JsonNode a = audit.get(clip + "#" + frame);
      if (a == null) {
        throw new UserError(
            o.getDetections()
                + ": no audit line for "
                + clip
                + " frame "
                + frame
                + " (anonymize the motion set's folder with --detections=FILE)");
      }
      JsonNode b = t.path("box");
      List<Detection> masked = new ArrayList<>();
      for (JsonNode m : a.path("masked")) {
        masked.add(JSON.treeToValue(m, Detection.class));
      }
      frames.add(
          new Coverage.ObjectFrame(
              t.path("kind").asText(),
              clip,
              t.path("object").asInt(),
              frame,
              new Detection(
                  t.path("label").asText(),
                  1,
                  b.get(0).asInt(),
                  b.get(1).asInt(),
                  b.get(2).asInt(),
                  b.get(3).asInt()),
              masked,
              a.path("wholeFrameMasked").asBoolean()));
    }
    Map<String, Coverage.Score> scores = Coverage.score(frames);
    System.out.printf(
        "coverage: %d of %d frames examined (%.3f); an object-frame is covered when the masks "
            + "cover >= %.0f%% of its box%n",
        examined,
        audit.size(),
        (double) examined / Math.max(1, audit.size()),
        100 * Coverage.MIN_SHARE);
    System.out.printf(
        "  %-10s %13s %8s %7s %12s%n", "kind", "object-frames", "covered", "share", "longest gap");
    scores.forEach(
        (kind, s) ->
            System.out.printf(
                Locale.ROOT,
                "  %-10s %13d %8d %7.3f %12d%n",
                kind,
                s.objectFrames(),
                s.covered(),
                s.share(),
                s.longestGap()));
    return scores;
  }

  private static List<JsonNode> lines(File f) throws IOException {
    if (!f.isFile()) {
      throw new UserError(f + ": no such file");
    }
    List<JsonNode> out = new ArrayList<>();
    int n = 0;
    for (String l : Files.readAllLines(f.toPath(), StandardCharsets.UTF_8)) {
      n++;
      if (!l.isBlank()) {
        try {
          out.add(JSON.readTree(l));
        } catch (IOException e) {
          throw new UserError(f + ":" + n + ": not a JSON line (" + e.getMessage() + ")");
        }
      }
    }
    return out;
  }
}
