package org.mosaicbeam.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The boxes of each image together: ImageID → its boxes. The shuffle uses a few hash buckets rather
 * than one key per image, because the DirectRunner handles every key of a GroupByKey separately
 * (slow with thousands of keys); each bucket is then grouped by ImageID in memory (the input is
 * already filtered to the selected images, so a bucket is small).
 */
class GroupByImage extends PTransform<PCollection<BoxRow>, PCollection<KV<String, List<BoxRow>>>> {
  static final int BUCKETS = 16;

  @Override
  public PCollection<KV<String, List<BoxRow>>> expand(PCollection<BoxRow> boxes) {
    return boxes
        .apply("ByBucket", WithKeys.of((BoxRow b) -> Math.floorMod(b.imageId().hashCode(), BUCKETS))
            .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(BoxRow.class)))
        .apply("GroupBuckets", GroupByKey.create())
        .apply("ByImage", ParDo.of(new SplitBucketFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(SerializableCoder.of(BoxRow.class))));
  }

  static class SplitBucketFn extends DoFn<KV<Integer, Iterable<BoxRow>>, KV<String, List<BoxRow>>> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<BoxRow>> bucket,
        OutputReceiver<KV<String, List<BoxRow>>> out) {
      Map<String, List<BoxRow>> byImage = new TreeMap<>();
      for (BoxRow box : bucket.getValue()) {
        byImage.computeIfAbsent(box.imageId(), k -> new ArrayList<>()).add(box);
      }
      byImage.forEach((id, boxes) -> out.output(KV.of(id, boxes)));
    }
  }
}
