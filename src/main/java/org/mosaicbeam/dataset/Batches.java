package org.mosaicbeam.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Batching before a shuffle. The DirectRunner copies a key's whole buffered group through its coder
 * each time another bundle arrives for that key, so tens of thousands of small elements going into
 * a GroupByKey cost far more than the same data in a few dozen lists. These DoFns emit one list per
 * bundle (per key), and {@link ConcatFn} joins such lists. (Global window only, as in this
 * pipeline.)
 */
final class Batches {
  private Batches() {}

  /** T → KV(bucket of T's ImageID, the bundle's Ts of that bucket). */
  static final class ByBucketFn<T> extends DoFn<T, KV<Integer, List<T>>> {
    private final SerializableFunction<T, String> imageId;
    private final int buckets;
    private transient Map<Integer, List<T>> batches;

    ByBucketFn(SerializableFunction<T, String> imageId, int buckets) {
      this.imageId = imageId;
      this.buckets = buckets;
    }

    @StartBundle
    public void start() {
      batches = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element T element) {
      int bucket = Math.floorMod(imageId.apply(element).hashCode(), buckets);
      batches.computeIfAbsent(bucket, b -> new ArrayList<>()).add(element);
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      batches.forEach(
          (bucket, batch) ->
              context.output(
                  KV.of(bucket, batch), GlobalWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      batches = null;
    }
  }

  /** T → the bundle's Ts as one list. */
  static final class PerBundleFn<T> extends DoFn<T, List<T>> {
    private transient List<T> batch;

    @StartBundle
    public void start() {
      batch = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element T element) {
      batch.add(element);
    }

    @FinishBundle
    public void finish(FinishBundleContext context) {
      if (!batch.isEmpty()) {
        context.output(batch, GlobalWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
      batch = null;
    }
  }

  /** Lists → one list with all their elements (an empty list when there are none). */
  static final class ConcatFn<T> extends Combine.CombineFn<List<T>, List<T>, List<T>> {
    @Override
    public List<T> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<T> addInput(List<T> acc, List<T> input) {
      acc.addAll(input);
      return acc;
    }

    @Override
    public List<T> mergeAccumulators(Iterable<List<T>> accs) {
      List<T> merged = new ArrayList<>();
      accs.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<T> extractOutput(List<T> acc) {
      return acc;
    }

    @Override
    public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<List<T>> inputCoder) {
      return inputCoder;
    }

    @Override
    public Coder<List<T>> getDefaultOutputCoder(CoderRegistry registry, Coder<List<T>> inputCoder) {
      return inputCoder;
    }
  }

  static <T> Coder<List<T>> listOf(Coder<T> coder) {
    return ListCoder.of(coder);
  }
}
