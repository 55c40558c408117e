package org.mosaicbeam.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Boxes + located image files → one {@link ImageRecord} per selected image: boxes in pixels, the
 * Rekognition limits checked, kept or left out with the reasons.
 *
 * <p>The join shuffles batches by a few hash buckets of the ImageID rather than elements by
 * ImageID: the DirectRunner handles every key of a GroupByKey separately (slow with thousands of
 * keys) and re-copies a key's buffered values per arriving bundle (see {@link Batches}); a
 * map-valued side input would be rebuilt on every access. Each bucket is small (the input is
 * already filtered to the selected images) and is joined by ImageID in memory. One bucket per
 * worker slot of the runner ({@link JoinBuckets}): fewer leave slots idle (a fixed 2 used 2 of a
 * Flink cluster's slots), more only add bundles, grouped-state copies and watermark rounds (on the
 * DirectRunner at 2 cores, 16 buckets cost 3-4 s more CPU on the full-size benchmark than 2).
 */
class JoinByImage extends PTransform<PCollection<BoxRow>, PCollection<ImageRecord>> {
  static final Comparator<PixelBox> BOX_ORDER =
      Comparator.comparingInt(PixelBox::classId)
          .thenComparingInt(PixelBox::left)
          .thenComparingInt(PixelBox::top)
          .thenComparingInt(PixelBox::width)
          .thenComparingInt(PixelBox::height)
          .thenComparingDouble(PixelBox::confidence);

  private final PCollection<ImageLocation> images;
  private final ClassMap classes;
  private final boolean keepInvalid;

  JoinByImage(PCollection<ImageLocation> images, ClassMap classes, boolean keepInvalid) {
    this.images = images;
    this.classes = classes;
    this.keepInvalid = keepInvalid;
  }

  @Override
  public PCollection<ImageRecord> expand(PCollection<BoxRow> boxes) {
    int buckets = JoinBuckets.of(boxes.getPipeline().getOptions());
    TupleTag<List<BoxRow>> boxesTag = new TupleTag<>();
    TupleTag<List<ImageLocation>> imagesTag = new TupleTag<>();
    PCollection<KV<Integer, List<BoxRow>>> boxesByBucket =
        boxes
            .apply("BoxesByBucket", ParDo.of(new Batches.ByBucketFn<>(BoxRow::imageId, buckets)))
            .setCoder(
                KvCoder.of(
                    VarIntCoder.of(),
                    Batches.listOf(boxes.getCoder()))); // generic DoFn: not inferred
    PCollection<KV<Integer, List<ImageLocation>>> imagesByBucket =
        images
            .apply(
                "ImagesByBucket",
                ParDo.of(new Batches.ByBucketFn<>(ImageLocation::imageId, buckets)))
            .setCoder(KvCoder.of(VarIntCoder.of(), Batches.listOf(images.getCoder())));
    return KeyedPCollectionTuple.of(boxesTag, boxesByBucket)
        .and(imagesTag, imagesByBucket)
        .apply("GroupBuckets", CoGroupByKey.create())
        .apply(
            "BuildImageRecords",
            ParDo.of(new JoinBucketFn(boxesTag, imagesTag, classes, keepInvalid)));
  }

  static class JoinBucketFn extends DoFn<KV<Integer, CoGbkResult>, ImageRecord> {
    private final TupleTag<List<BoxRow>> boxesTag;
    private final TupleTag<List<ImageLocation>> imagesTag;
    private final ClassMap classes;
    private final boolean keepInvalid;
    private final Counter kept = DatasetMetrics.counter(DatasetMetrics.IMAGES_KEPT);
    private final Counter unusable =
        DatasetMetrics.counter(DatasetMetrics.IMAGES_MISSING_OR_UNREADABLE);
    private final Counter invalid = DatasetMetrics.counter(DatasetMetrics.IMAGES_BREAKING_LIMITS);

    JoinBucketFn(
        TupleTag<List<BoxRow>> boxesTag,
        TupleTag<List<ImageLocation>> imagesTag,
        ClassMap classes,
        boolean keepInvalid) {
      this.boxesTag = boxesTag;
      this.imagesTag = imagesTag;
      this.classes = classes;
      this.keepInvalid = keepInvalid;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> bucket, OutputReceiver<ImageRecord> out) {
      Map<String, List<BoxRow>> rows = new TreeMap<>();
      for (List<BoxRow> batch : bucket.getValue().getAll(boxesTag)) {
        for (BoxRow box : batch) {
          rows.computeIfAbsent(box.imageId(), k -> new ArrayList<>()).add(box);
        }
      }
      Map<String, ImageLocation> located = new TreeMap<>();
      for (List<ImageLocation> batch : bucket.getValue().getAll(imagesTag)) {
        for (ImageLocation image : batch) {
          located.put(image.imageId(), image);
          rows.putIfAbsent(image.imageId(), List.of()); // selected, but every row was a dead letter
        }
      }
      rows.forEach(
          (imageId, boxes) -> {
            ImageLocation image = located.getOrDefault(imageId, ImageLocation.missing(imageId));
            ImageRecord record = build(imageId, boxes, image, classes, keepInvalid);
            if (!image.usable()) {
              unusable.inc();
            } else if (!RekognitionLimits.check(image, record.boxes().size()).isEmpty()) {
              invalid.inc();
            }
            if (record.kept()) {
              kept.inc();
            }
            out.output(record);
          });
    }
  }

  /** The record of one image. */
  static ImageRecord build(
      String imageId,
      List<BoxRow> rows,
      ImageLocation image,
      ClassMap classes,
      boolean keepInvalid) {
    // an Open Images ID is in one split's CSV; were it in several, the record names them all
    String split = String.join("+", rows.stream().map(BoxRow::split).distinct().sorted().toList());
    if (!image.usable()) {
      return new ImageRecord(imageId, image, List.of(), List.of(image.problem()), false, split);
    }
    List<PixelBox> boxes = new ArrayList<>();
    boolean hasRequired = false;
    for (BoxRow row : rows) {
      hasRequired |= row.labelMid().equals(classes.requiredMid());
      ClassMap.OutputClass c = classes.byMid(row.labelMid());
      if (c != null) {
        boxes.add(PixelBox.of(c.id(), row, image.width(), image.height()));
      }
    }
    boxes.sort(BOX_ORDER);
    List<String> limits = RekognitionLimits.check(image, boxes.size());
    List<String> problems = new ArrayList<>(limits);
    if (!hasRequired) {
      problems.add("no valid box of the required class " + classes.requiredName());
    }
    if (boxes.isEmpty()) {
      problems.add("no box of the wanted classes");
    }
    // --keepInvalid keeps images that only break Rekognition limits, never ones without boxes
    boolean keep = problems.isEmpty() || (keepInvalid && problems.size() == limits.size());
    return new ImageRecord(imageId, image, boxes, problems, keep, split);
  }
}
