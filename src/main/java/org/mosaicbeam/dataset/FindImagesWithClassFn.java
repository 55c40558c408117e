package org.mosaicbeam.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.mosaicbeam.io.Progress;

/**
 * Pass 1: the ImageIDs of a shard that have a box of the required class. The shard's bytes are
 * searched for the class's MID ({@link MidSearch}); only the (rare) lines holding it are parsed, to
 * check that the MID really is the LabelName. Emits the shard's ImageIDs as one list.
 */
class FindImagesWithClassFn extends DoFn<CsvShard, List<String>> {
  private final String mid;
  private final Progress.Shared progress;
  private final Counter bytes = DatasetMetrics.counter(DatasetMetrics.PASS1_BYTES);
  private final Counter boxes = DatasetMetrics.counter(DatasetMetrics.REQUIRED_BOXES);

  FindImagesWithClassFn(String mid, Progress.Shared progress) {
    this.mid = mid;
    this.progress = progress;
  }

  @ProcessElement
  public void process(@Element CsvShard shard, OutputReceiver<List<String>> out)
      throws IOException {
    TreeSet<String> found = new TreeSet<>();
    MidSearch search =
        new MidSearch(mid); // picks its byte from the first chunk, a sample of the data
    ShardReader.read(
        shard,
        chunk -> {
          for (int i = search.next(chunk.bytes(), chunk.from(), chunk.to());
              i >= 0;
              i = search.next(chunk.bytes(), i + mid.length(), chunk.to())) {
            if (!isWholeField(chunk, i, mid.length())) {
              continue; // a longer MID that starts with this one
            }
            String line = chunk.line(chunk.lineStart(i), chunk.lineEnd(i));
            try {
              List<String> r = RowParser.fields(line);
              if (r.size() != shard.columns().count()) {
                // malformed: still select the image, pass 2 sends the row to the dead letters
                found.add(r.get(0).strip());
              } else if (r.get(shard.columns().labelName()).strip().equals(mid)) {
                found.add(r.get(shard.columns().imageId()).strip());
                boxes.inc();
              }
            } catch (RowParser.BadRow e) {
              // unparseable: pass 2 reports it if its image is selected for another reason
            }
          }
          int length = chunk.to() - chunk.from();
          bytes.inc(length);
          progress.add(length);
        });
    // one list per shard (see Batches); an image whose rows span two shards is in both lists
    out.output(new ArrayList<>(found));
  }

  /** The match at {@code at} is a whole CSV field: delimited by , " or the line ends. */
  static boolean isWholeField(Chunk chunk, int at, int length) {
    byte before = at == chunk.from() ? (byte) '\n' : chunk.bytes()[at - 1];
    int endIndex = at + length;
    byte after = endIndex >= chunk.to() ? (byte) '\n' : chunk.bytes()[endIndex];
    return (before == ',' || before == '"' || before == '\n')
        && (after == ',' || after == '"' || after == '\r' || after == '\n');
  }
}
