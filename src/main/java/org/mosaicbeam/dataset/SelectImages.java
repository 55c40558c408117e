package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Lists of ImageIDs with the required class (one per shard; an image may be in two) → one {@link
 * Selection}. With {@code maxImages > 0} it keeps the images with the smallest SHA-256 of their
 * ImageID: a deterministic sample spread over the whole ID space.
 */
class SelectImages extends PTransform<PCollection<List<String>>, PCollection<Selection>> {
  private final int maxImages;

  SelectImages(int maxImages) {
    this.maxImages = maxImages;
  }

  @Override
  public PCollection<Selection> expand(PCollection<List<String>> imageIds) {
    return imageIds.apply("SampleByHash", Combine.globally(new SampleFn(maxImages)));
  }

  /** Accumulator: every distinct ImageID (thousands, not millions: pass 1 already filtered). */
  static final class Sample implements Serializable {
    final TreeSet<String> ids = new TreeSet<>();

    @Override
    public boolean equals(Object o) {
      return o instanceof Sample other && ids.equals(other.ids);
    }

    @Override
    public int hashCode() {
      return ids.hashCode();
    }
  }

  static final class SampleFn extends Combine.CombineFn<List<String>, Sample, Selection> {
    private final int max;

    SampleFn(int max) {
      this.max = max;
    }

    @Override
    public Sample createAccumulator() {
      return new Sample();
    }

    @Override
    public Sample addInput(Sample acc, List<String> imageIds) {
      acc.ids.addAll(imageIds);
      return acc;
    }

    @Override
    public Sample mergeAccumulators(Iterable<Sample> accs) {
      Sample merged = new Sample();
      accs.forEach(a -> merged.ids.addAll(a.ids));
      return merged;
    }

    @Override
    public Selection extractOutput(Sample acc) {
      List<String> ids = new ArrayList<>(acc.ids);
      if (max > 0 && ids.size() > max) {
        ids.sort(Comparator.comparing(SelectImages::hashKey));
        ids = new ArrayList<>(ids.subList(0, max));
        ids.sort(null);
      }
      return new Selection(acc.ids.size(), ids);
    }

    @Override
    public Coder<Sample> getAccumulatorCoder(
        CoderRegistry registry, Coder<List<String>> inputCoder) {
      return SerializableCoder.of(Sample.class);
    }

    @Override
    public Coder<Selection> getDefaultOutputCoder(
        CoderRegistry registry, Coder<List<String>> inputCoder) {
      return SerializableCoder.of(Selection.class);
    }
  }

  static String hashKey(String imageId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(imageId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest) + imageId;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
