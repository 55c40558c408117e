package org.mosaicbeam.dataset;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.mosaicbeam.dataset.tarball.RejectedMember;

/**
 * The coder of each element type the dataset pipeline moves, registered once on the pipeline, so
 * the steps leave coders to Beam's inference. The types with one element per box or per image have
 * compact coders (Java serialization was the slowest step: see BoxRowCoder, ImageRecordCoder).
 */
final class DatasetCoders {
  private DatasetCoders() {}

  static void register(Pipeline p) {
    CoderRegistry coders = p.getCoderRegistry();
    coders.registerCoderForClass(BoxRow.class, BoxRowCoder.of());
    coders.registerCoderForClass(ImageLocation.class, ImageLocationCoder.of());
    coders.registerCoderForClass(ImageRecord.class, ImageRecordCoder.of());
    // one element per shard, per run or per problem: Java serialization is fine
    coders.registerCoderForClass(CsvShard.class, SerializableCoder.of(CsvShard.class));
    coders.registerCoderForClass(Selection.class, SerializableCoder.of(Selection.class));
    coders.registerCoderForClass(DeadLetter.class, SerializableCoder.of(DeadLetter.class));
    coders.registerCoderForClass(RejectedMember.class, SerializableCoder.of(RejectedMember.class));
  }
}
