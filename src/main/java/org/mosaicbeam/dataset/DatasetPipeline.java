package org.mosaicbeam.dataset;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.mosaicbeam.cli.Cli;
import org.mosaicbeam.cli.UserError;
import org.mosaicbeam.io.OutputCheck;
import org.mosaicbeam.io.Progress;
import org.mosaicbeam.upload.UploadCommand;
import org.mosaicbeam.upload.UploadOptions;

/**
 * {@code scripts/mosaicbeam dataset}: Open Images bounding-box CSVs → a Ground Truth manifest (or
 * YOLO/COCO) of the images that contain the required class.
 *
 * <p>Millions of CSV rows never become millions of elements. The CSVs are cut into byte-range
 * shards (one element each). Pass 1 searches each shard's bytes for the required class's MID and
 * emits only those ImageIDs; the selection (thousands) becomes a side input; pass 2 re-reads the
 * shards (now from the page cache) and emits only the wanted-class rows of selected images. Only
 * those are grouped by image, joined with the image files' headers, checked and written.
 */
public final class DatasetPipeline {
  static final String METRICS = "dataset";
  /** The Ground Truth job name when --jobName is not given (Beam would otherwise generate one). */
  static final String DEFAULT_JOB_NAME = "oid-plates";

  private DatasetPipeline() {}

  public static void main(String[] args) throws Exception {
    // --upload takes upload's flags too
    DatasetOptions options = Cli.parse(args, DatasetOptions.class, List.of(UploadOptions.class));
    if (options != null) {
      if (!Cli.given(args, DatasetOptions.class, "jobName")) {
        options.setJobName(DEFAULT_JOB_NAME);
      }
      run(options);
      if (options.getUpload() != null) {
        UploadCommand.Summary summary = upload(options);
        summary.failures().forEach(f -> System.err.println("upload: failed: " + f));
        System.out.println(summary);
        if (!summary.ok()) {
          System.exit(1);
        }
      }
    }
  }

  /** {@code --upload}: the images, then the manifest, to the bucket (main exits 1 if anything failed). */
  static UploadCommand.Summary upload(DatasetOptions options) throws Exception {
    if (options.getFormat() != DatasetOptions.Format.GROUNDTRUTH) {
      throw new UserError("--upload needs --format=groundtruth (the manifest names the images to upload)");
    }
    String manifest = FileSystems.matchNewResource(options.getOutput(), true)
        .resolve(WriteOutputs.MANIFEST, StandardResolveOptions.RESOLVE_FILE).toString();
    return UploadCommand.uploadTo(options.getUpload(), manifest, options);
  }

  /** Builds and runs the pipeline, then prints the summary; returns the finished result. */
  public static PipelineResult run(DatasetOptions options) throws java.io.IOException {
    long startNanos = System.nanoTime();
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
    ClassMap classes = ClassMap.resolve(ClassMap.readDescriptions(options.getClassDescriptions()),
        Inputs.split(options.getClasses()), options.getRequireClass());
    List<MatchResult.Metadata> csvFiles = Inputs.match("annotations", options.getAnnotations());
    List<CsvShard> shards = CsvShard.plan(csvFiles, options.getShardBytes());
    long totalBytes = csvFiles.stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
    String creationDate = options.getCreationDate() != null ? options.getCreationDate()
        : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String runId = UUID.randomUUID().toString();

    Progress.Shared pass1 = new Progress.Shared(runId + "/1", "dataset: pass 1: find "
        + classes.requiredName(), totalBytes, "MB", 1 << 20);
    Progress.Shared pass2 = new Progress.Shared(runId + "/2", "dataset: pass 2: read rows of selected images",
        totalBytes, "MB", 1 << 20);
    Pipeline p = Pipeline.create(options);
    PCollection<CsvShard> shardElements = p
        .apply("Shards", Create.of(shards).withCoder(SerializableCoder.of(CsvShard.class)))
        .apply("Spread", Reshuffle.viaRandomKey());

    PCollection<Selection> selected = shardElements
        .apply("FindImagesWithRequiredClass", ParDo.of(new FindImagesWithClassFn(
            classes.requiredMid(), pass1)))
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("SelectImages", new SelectImages(options.getMaxImages()));
    PCollectionView<Selection> selection = selected.apply("SelectionView", View.asSingleton());

    Set<String> wantedMids = new HashSet<>();
    classes.classes().forEach(c -> wantedMids.add(c.mid()));
    wantedMids.add(classes.requiredMid());
    PCollectionTuple rows = shardElements.apply("ReadSelectedRows",
        ParDo.of(new ReadSelectedRowsFn(selection, wantedMids,
                pass2))
            .withSideInputs(selection)
            .withOutputTags(ReadSelectedRowsFn.BOXES, TupleTagList.of(ReadSelectedRowsFn.DEAD_LETTERS)));
    PCollection<BoxRow> boxes = rows.get(ReadSelectedRowsFn.BOXES).setCoder(BoxRowCoder.of());
    PCollection<DeadLetter> deadLetters =
        rows.get(ReadSelectedRowsFn.DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));

    LocateImages locate = new LocateImages(Inputs.split(options.getImages()), options.getOutput(),
        options.getMaxImageBytes());
    PCollectionTuple located = selected
        .apply("SelectedIds", FlatMapElements.into(TypeDescriptors.strings()).via(Selection::imageIds))
        .apply("LocateImages", locate);
    PCollection<ImageLocation> images = located.get(LocateImages.LOCATIONS);
    PCollection<DeadLetter> allDeadLetters = PCollectionList.of(deadLetters)
        .and(located.get(LocateImages.DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class)))
        .apply("AllDeadLetters", Flatten.pCollections());

    boxes
        .apply("JoinByImage", new JoinByImage(images, classes, options.getKeepInvalid()))
        .apply("WriteOutputs", new WriteOutputs(new WriteOutputs.Settings(options.getOutput(), format,
            options.getJobName(), options.getSourceRefPrefix(), creationDate, classes, locate.folders()),
            selection, allDeadLetters));

    PipelineResult result = p.run();
    result.waitUntilFinish();
    pass1.finish();
    pass2.finish();
    printSummary(result, options, format, shards.size(), totalBytes, (System.nanoTime() - startNanos) / 1e9);
    return result;
  }

  private static void printSummary(PipelineResult result, DatasetOptions options, String format,
      int shardCount, long totalBytes, double seconds) {
    MetricQueryResults metrics = result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(METRICS)).build());
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c : metrics.getCounters()) {
      counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
    }
    System.out.printf(Locale.ROOT, "dataset: done in %.1f s: %d images in the dataset (%d boxes); "
            + "%d with %s; %d dead-letter rows; CSVs: %d MB in %d shards, read twice%n",
        seconds, counters.getOrDefault("output.images", 0L), counters.getOrDefault("output.boxes", 0L),
        counters.getOrDefault("images.withRequiredClass", 0L), options.getRequireClass(),
        counters.getOrDefault("rows.deadLetters", 0L), totalBytes >> 20, shardCount);
    counters.forEach((name, value) -> System.out.printf(Locale.ROOT, "  %-28s %d%n", name, value));
    System.out.println("  output: " + options.getOutput() + " (" + format + ", images.txt, report.json, dead-letters.csv)");
  }
}
