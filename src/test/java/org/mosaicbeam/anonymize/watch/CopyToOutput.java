package org.mosaicbeam.anonymize.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.mosaicbeam.io.AtomicOutput;

/**
 * Test stand-in for the anonymize step after the watch source: copies each input to its output
 * path.
 */
public class CopyToOutput extends DoFn<String, Void> {
  private final String outputRoot;

  public CopyToOutput(String outputRoot) {
    this.outputRoot = outputRoot;
  }

  @ProcessElement
  public void process(@Element String input) throws IOException {
    String output = WatchForVideos.outputFor(outputRoot, input);
    Files.createDirectories(Path.of(output).getParent());
    AtomicOutput.write(
        output,
        "video/mp4",
        out -> {
          try (InputStream in =
              Channels.newInputStream(
                  FileSystems.open(FileSystems.matchNewResource(input, false)))) {
            in.transferTo(out);
          }
        });
  }
}
