package org.mosaicbeam.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * An image's boxes + its located file → an {@link ImageRecord}: boxes in pixels, the Rekognition
 * limits checked, kept or left out with the reasons.
 */
class BuildImageRecordsFn extends DoFn<KV<String, List<BoxRow>>, ImageRecord> {
  static final Comparator<PixelBox> BOX_ORDER = Comparator.comparingInt(PixelBox::classId)
      .thenComparingInt(PixelBox::left).thenComparingInt(PixelBox::top)
      .thenComparingInt(PixelBox::width).thenComparingInt(PixelBox::height)
      .thenComparingDouble(PixelBox::confidence);

  private final PCollectionView<Map<String, ImageLocation>> locationsView;
  private final ClassMap classes;
  private final boolean keepInvalid;
  private final Counter kept = Metrics.counter(DatasetPipeline.METRICS, "images.kept");
  private final Counter missing = Metrics.counter(DatasetPipeline.METRICS, "images.missingOrUnreadable");
  private final Counter invalid = Metrics.counter(DatasetPipeline.METRICS, "images.breakingLimits");

  BuildImageRecordsFn(PCollectionView<Map<String, ImageLocation>> locationsView, ClassMap classes,
      boolean keepInvalid) {
    this.locationsView = locationsView;
    this.classes = classes;
    this.keepInvalid = keepInvalid;
  }

  @ProcessElement
  public void process(ProcessContext context) {
    String imageId = context.element().getKey();
    List<BoxRow> rows = context.element().getValue();
    ImageLocation image = context.sideInput(locationsView).get(imageId);
    if (image == null) {
      image = ImageLocation.missing(imageId);
    }
    ImageRecord record = build(imageId, rows, image, classes, keepInvalid);
    if (!image.usable()) {
      missing.inc();
    } else if (!RekognitionLimits.check(image, record.boxes().size()).isEmpty()) {
      invalid.inc();
    }
    if (record.kept()) {
      kept.inc();
    }
    context.output(record);
  }

  /** The record of one image (static so tests can call it directly). */
  static ImageRecord build(String imageId, List<BoxRow> rows, ImageLocation image, ClassMap classes,
      boolean keepInvalid) {
    if (!image.usable()) {
      return new ImageRecord(imageId, image, List.of(), List.of(image.problem()), false);
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
    List<String> problems = new ArrayList<>(RekognitionLimits.check(image, boxes.size()));
    boolean withinLimits = problems.isEmpty();
    if (!hasRequired) {
      problems.add("no valid box of the required class " + classes.requiredName());
    }
    if (boxes.isEmpty()) {
      problems.add("no box of the wanted classes");
    }
    boolean keep = problems.isEmpty() || (keepInvalid && hasRequired && !boxes.isEmpty() && !withinLimits);
    return new ImageRecord(imageId, image, boxes, problems, keep);
  }
}
