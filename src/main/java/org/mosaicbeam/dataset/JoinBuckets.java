package org.mosaicbeam.dataset;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.mosaicbeam.base.UserError;

/**
 * How many hash buckets {@link JoinByImage} groups into. Its own class, used only while the graph
 * is built: the Flink job jar leaves the DirectRunner out, and a worker never loads this.
 */
final class JoinBuckets {
  private JoinBuckets() {}

  /**
   * {@code --joinBuckets}, else the runner's parallelism: Flink's {@code --parallelism}, the
   * DirectRunner's {@code --targetParallelism} (2 in runners/direct/options.args), else the cores
   * of this machine (also for Flink when the cluster's default parallelism applies).
   */
  static int of(PipelineOptions options) {
    Integer given = options.as(DatasetOptions.class).getJoinBuckets();
    if (given != null) {
      if (given < 1) {
        throw new UserError("--joinBuckets must be >= 1");
      }
      return given;
    }
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("FlinkRunner")
        && options.as(FlinkPipelineOptions.class).getParallelism() > 0) {
      return options.as(FlinkPipelineOptions.class).getParallelism();
    }
    if (runner.equals("DirectRunner") || runner.equals("TestDirectRunner")) {
      return options.as(DirectOptions.class).getTargetParallelism();
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
