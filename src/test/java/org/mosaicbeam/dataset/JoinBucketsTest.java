package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.base.UserError;

/** {@link JoinBuckets}: the join's keys follow the runner, or --joinBuckets. */
class JoinBucketsTest {
  static int buckets(String... args) {
    PipelineOptionsFactory.register(DatasetOptions.class);
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).create();
    return JoinBuckets.of(options);
  }

  @Test
  void followTheRunnersParallelism() {
    assertEquals(2, buckets("--runner=DirectRunner", "--targetParallelism=2"));
    assertEquals(12, buckets("--runner=FlinkRunner", "--parallelism=12"));
    // Flink without --parallelism: the cluster's default, unknown here, so the cores of this
    // machine
    assertEquals(Runtime.getRuntime().availableProcessors(), buckets("--runner=FlinkRunner"));
  }

  @Test
  void theFlagWins() {
    assertEquals(5, buckets("--runner=FlinkRunner", "--parallelism=12", "--joinBuckets=5"));
    assertEquals(1, buckets("--runner=DirectRunner", "--joinBuckets=1"));
    assertThrows(UserError.class, () -> buckets("--joinBuckets=0"));
  }
}
