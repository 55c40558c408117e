package org.mosaicbeam.dataset;

import java.util.Locale;

/**
 * YOLO (Darknet/Ultralytics) labels: one {@code <ImageID>.txt} per image with a line {@code class
 * cx cy w h} per box (normalised to [0,1], from the pixel box so both formats agree), and {@code
 * classes.txt} with one class name per line in class_id order.
 */
final class YoloLabels {
  private YoloLabels() {}

  static String labels(ImageRecord record) {
    StringBuilder sb = new StringBuilder();
    double w = record.image().width();
    double h = record.image().height();
    for (PixelBox b : record.boxes()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%d %.6f %.6f %.6f %.6f%n",
              b.classId(),
              (b.left() + b.width() / 2.0) / w,
              (b.top() + b.height() / 2.0) / h,
              b.width() / w,
              b.height() / h));
    }
    return sb.toString();
  }

  static String classNames(ClassMap classes) {
    StringBuilder sb = new StringBuilder();
    classes.classes().forEach(c -> sb.append(c.name()).append('\n'));
    return sb.toString();
  }
}
