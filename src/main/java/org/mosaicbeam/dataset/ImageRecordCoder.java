package org.mosaicbeam.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * A compact coder for {@link ImageRecord}: all records are collected into one list for the writer,
 * and Java serialization (SerializableCoder) of thousands of them cost ~0.5 s.
 */
public final class ImageRecordCoder extends AtomicCoder<ImageRecord> {
  private static final ImageRecordCoder INSTANCE = new ImageRecordCoder();
  private static final Coder<Integer> INT = VarIntCoder.of();
  private static final Coder<List<String>> PROBLEMS = ListCoder.of(StringUtf8Coder.of());

  public static ImageRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageRecord r, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(r.imageId(), out);
    ImageLocationCoder.of().encode(r.image(), out);
    INT.encode(r.boxes().size(), out);
    for (PixelBox b : r.boxes()) {
      INT.encode(b.classId(), out);
      INT.encode(b.left(), out);
      INT.encode(b.top(), out);
      INT.encode(b.width(), out);
      INT.encode(b.height(), out);
      DoubleCoder.of().encode(b.confidence(), out);
    }
    PROBLEMS.encode(r.problems(), out);
    BooleanCoder.of().encode(r.kept(), out);
    StringUtf8Coder.of().encode(r.split(), out);
  }

  @Override
  public ImageRecord decode(InputStream in) throws IOException {
    String imageId = StringUtf8Coder.of().decode(in);
    ImageLocation image = ImageLocationCoder.of().decode(in);
    int n = INT.decode(in);
    List<PixelBox> boxes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boxes.add(
          new PixelBox(
              INT.decode(in),
              INT.decode(in),
              INT.decode(in),
              INT.decode(in),
              INT.decode(in),
              DoubleCoder.of().decode(in)));
    }
    return new ImageRecord(
        imageId,
        image,
        boxes,
        PROBLEMS.decode(in),
        BooleanCoder.of().decode(in),
        StringUtf8Coder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
