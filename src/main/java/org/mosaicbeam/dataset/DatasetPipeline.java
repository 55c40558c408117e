package org.mosaicbeam.dataset;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
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
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
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

  /**
   * {@code --upload}: the images, then the manifest, to the bucket (main exits 1 if anything
   * failed).
   */
  static UploadCommand.Summary upload(DatasetOptions options) throws Exception {
    if (options.getFormat() != DatasetOptions.Format.GROUNDTRUTH) {
      throw new UserError(
          "--upload needs --format=groundtruth (the manifest names the images to upload)");
    }
    String manifest =
        FileSystems.matchNewResource(options.getOutput(), true)
            .resolve(WriteOutputs.MANIFEST, StandardResolveOptions.RESOLVE_FILE)
            .toString();
    return UploadCommand.uploadTo(options.getUpload(), manifest, options);
  }

  /**
   * Checks and plans, builds the graph, runs it, prints the summary; returns the finished result.
   */
  public static PipelineResult run(DatasetOptions options) throws IOException {
    long startNanos = System.nanoTime();
    DatasetPlan plan = DatasetPlan.of(options);
    Pipeline p = Pipeline.create(options);
    build(p, plan);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    plan.pass1().finish();
    plan.pass2().finish();
    printSummary(DatasetMetrics.of(result), plan, (System.nanoTime() - startNanos) / 1e9);
    return result;
  }

  /**
   * The graph: pass 1 finds and samples the images with the required class, pass 2 reads their
   * rows, the images are located, joined with their rows, checked, and all outputs written as one
   * set.
   */
  static void build(Pipeline p, DatasetPlan plan) {
    DatasetCoders.register(p);
    PCollection<CsvShard> shards =
        p.apply("Shards", Create.of(plan.shards())).apply("Spread", Reshuffle.viaRandomKey());

    PCollection<Selection> selected =
        shards
            .apply(
                "FindImagesWithRequiredClass",
                ParDo.of(new FindImagesWithClassFn(plan.classes().requiredMid(), plan.pass1())))
            .apply("SelectImages", new SelectImages(plan.options().getMaxImages()));
    PCollectionView<Selection> selection = selected.apply("SelectionView", View.asSingleton());

    PCollectionTuple rows =
        shards.apply(
            "ReadSelectedRows",
            ParDo.of(new ReadSelectedRowsFn(selection, plan.wantedMids(), plan.pass2()))
                .withSideInputs(selection)
                .withOutputTags(
                    ReadSelectedRowsFn.BOXES, TupleTagList.of(ReadSelectedRowsFn.DEAD_LETTERS)));

    PCollectionTuple located =
        selected
            .apply(
                "SelectedIds",
                FlatMapElements.into(TypeDescriptors.strings()).via(Selection::imageIds))
            .apply("LocateImages", plan.locate());
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(rows.get(ReadSelectedRowsFn.DEAD_LETTERS))
            .and(located.get(LocateImages.DEAD_LETTERS))
            .apply("AllDeadLetters", Flatten.pCollections());

    rows.get(ReadSelectedRowsFn.BOXES)
        .apply(
            "JoinByImage",
            new JoinByImage(
                located.get(LocateImages.LOCATIONS),
                plan.classes(),
                plan.options().getKeepInvalid()))
        .apply("WriteOutputs", new WriteOutputs(plan.outputSettings(), selection, deadLetters));
  }

  private static void printSummary(Map<String, Long> counters, DatasetPlan plan, double seconds) {
    System.out.printf(
        Locale.ROOT,
        "dataset: done in %.1f s: %d images in the dataset (%d boxes); "
            + "%d with %s; %d dead-letter rows; CSVs: %d MB in %d shards, read twice%n",
        seconds,
        counters.getOrDefault(DatasetMetrics.OUTPUT_IMAGES, 0L),
        counters.getOrDefault(DatasetMetrics.OUTPUT_BOXES, 0L),
        counters.getOrDefault(DatasetMetrics.IMAGES_WITH_REQUIRED_CLASS, 0L),
        plan.options().getRequireClass(),
        counters.getOrDefault(DatasetMetrics.ROWS_DEAD_LETTERS, 0L),
        plan.csvBytes() >> 20,
        plan.shards().size());
    counters.forEach((name, value) -> System.out.printf(Locale.ROOT, "  %-28s %d%n", name, value));
    System.out.println(
        "  output: "
            + plan.options().getOutput()
            + " ("
            + plan.format()
            + ", images.txt, report.json, dead-letters.csv)");
  }
}
