package org.mosaicbeam.dataset;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.OutputCheck;
import org.mosaicbeam.io.Progress;

/**
 * What a dataset run will do, worked out on the launcher before any pipeline exists: the flags
 * checked, the output folder probed, the classes resolved, the CSVs cut into shards. A bad flag or
 * input fails here, in one line, instead of on a worker.
 */
record DatasetPlan(
    DatasetOptions options,
    String format,
    ClassMap classes,
    List<CsvShard> shards,
    long csvBytes,
    LocateImages locate,
    String creationDate,
    String runId) {
  static DatasetPlan of(DatasetOptions options) throws IOException {
    String format = options.getFormat().toString();
    if (options.getMaxImages() < 0) {
      throw new UserError("--maxImages must be >= 0");
    }
    if (options.getMaxImageBytes() < 1) {
      throw new UserError("--maxImageBytes must be >= 1");
    }
    if (options.getShardBytes() < 1) {
      throw new UserError("--shardBytes must be >= 1");
    }
    OutputCheck.folder(options.getOutput(), "--output"); // not only once the whole pipeline ran
    ClassMap classes =
        ClassMap.resolve(
            ClassMap.readDescriptions(options.getClassDescriptions()),
            FilePatterns.split(options.getClasses()),
            options.getRequireClass());
    List<MatchResult.Metadata> csvFiles =
        FilePatterns.match("annotations", options.getAnnotations());
    List<CsvShard> shards = CsvShard.plan(csvFiles, options.getShardBytes());
    long csvBytes = csvFiles.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
    LocateImages locate =
        new LocateImages(
            FilePatterns.split(options.getImages()),
            options.getOutput(),
            options.getMaxImageBytes());
    String creationDate =
        options.getCreationDate() != null
            ? options.getCreationDate()
            : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new DatasetPlan(
        options,
        format,
        classes,
        shards,
        csvBytes,
        locate,
        creationDate,
        UUID.randomUUID().toString());
  }

  /** Pass 2 keeps the rows of these classes (the listed ones and the required one). */
  Set<String> wantedMids() {
    Set<String> mids = new TreeSet<>();
    classes.classes().forEach(c -> mids.add(c.mid()));
    mids.add(classes.requiredMid());
    return mids;
  }

  /** The CSV bytes pass 1 has scanned: one report for all shards, finished after the run. */
  Progress.Shared pass1() {
    return scanned("1", "pass 1: find " + classes.requiredName());
  }

  /** The CSV bytes pass 2 has scanned. */
  Progress.Shared pass2() {
    return scanned("2", "pass 2: read rows of selected images");
  }

  private Progress.Shared scanned(String pass, String what) {
    return new Progress.Shared(runId + "/" + pass, "dataset: " + what, csvBytes, "MB", 1 << 20);
  }

  WriteOutputs.Settings outputSettings() {
    return new WriteOutputs.Settings(
        options.getOutput(),
        format,
        options.getJobName(),
        options.getSourceRefPrefix(),
        creationDate,
        classes,
        locate.folders());
  }
}
