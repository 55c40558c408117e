package org.mosaicbeam.anonymize.watch;

import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Passes each path the first time it is listed and drops it on every later listing (state per path,
 * kept in the runner's checkpointed state on Flink), so an input is handed on once even while it is
 * still being processed.
 */
class FirstSightingOnly extends DoFn<KV<String, Long>, String> {
  @StateId("seen")
  private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value();

  @ProcessElement
  public void process(
      @Element KV<String, Long> file,
      @StateId("seen") ValueState<Boolean> seen,
      OutputReceiver<String> out) {
    if (seen.read() == null) {
      seen.write(true);
      out.output(file.getKey());
    }
  }
}
