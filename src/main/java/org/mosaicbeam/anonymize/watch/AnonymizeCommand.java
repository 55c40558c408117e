package org.mosaicbeam.anonymize.watch;

import org.mosaicbeam.anonymize.AnonymizePipeline;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.detection.Detectors;

/**
 * {@code mosaicbeam anonymize}: a fixed set of videos ({@code --input}, AnonymizePipeline) or, with
 * {@code --watch}, a stream of new ones (AnonymizeWatch). The choice lives here, above both, so
 * that the anonymize package knows nothing of watching (anonymize.watch depends on anonymize, never
 * the reverse).
 */
public final class AnonymizeCommand {
  private AnonymizeCommand() {}

  public static void main(String[] args) throws Exception {
    WatchOptions options = Cli.parse(args, WatchOptions.class);
    if (options == null) {
      return; // --help
    }
    if (options.getWatch() == null) {
      AnonymizePipeline.runOrFail(options);
      return;
    }
    AnonymizePipeline.checkDetectors(options);
    AnonymizeWatch.run(options, Detectors::create); // runs until cancelled
  }
}
