package org.mosaicbeam.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A compact coder for {@link ImageLocation} (grouped in the join; see {@link BoxRowCoder}). */
public final class ImageLocationCoder extends AtomicCoder<ImageLocation> {
  private static final ImageLocationCoder INSTANCE = new ImageLocationCoder();
  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<String> OPTIONAL = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<Integer> INT = VarIntCoder.of();

  public static ImageLocationCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ImageLocation l, OutputStream out) throws IOException {
    STRING.encode(l.imageId(), out);
    OPTIONAL.encode(l.path(), out);
    VarLongCoder.of().encode(l.sizeBytes(), out);
    OPTIONAL.encode(l.format(), out);
    INT.encode(l.width(), out);
    INT.encode(l.height(), out);
    INT.encode(l.depth(), out);
    OPTIONAL.encode(l.problem(), out);
  }

  @Override
  public ImageLocation decode(InputStream in) throws IOException {
    return new ImageLocation(
        STRING.decode(in),
        OPTIONAL.decode(in),
        VarLongCoder.of().decode(in),
        OPTIONAL.decode(in),
        INT.decode(in),
        INT.decode(in),
        INT.decode(in),
        OPTIONAL.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
