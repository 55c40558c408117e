package org.mosaicbeam.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A compact coder for {@link BoxRow}: the DirectRunner copies grouped values through their coder,
 * and Java serialization (SerializableCoder) made that the slowest step.
 */
public final class BoxRowCoder extends AtomicCoder<BoxRow> {
  private static final BoxRowCoder INSTANCE = new BoxRowCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static BoxRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(BoxRow b, OutputStream out) throws IOException {
    STRING.encode(b.imageId(), out);
    STRING.encode(b.labelMid(), out);
    DOUBLE.encode(b.confidence(), out);
    DOUBLE.encode(b.xMin(), out);
    DOUBLE.encode(b.xMax(), out);
    DOUBLE.encode(b.yMin(), out);
    DOUBLE.encode(b.yMax(), out);
    STRING.encode(b.split(), out);
  }

  @Override
  public BoxRow decode(InputStream in) throws IOException {
    return new BoxRow(
        STRING.decode(in),
        STRING.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        DOUBLE.decode(in),
        STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
