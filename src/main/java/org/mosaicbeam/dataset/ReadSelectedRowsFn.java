package org.mosaicbeam.dataset;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.commons.csv.CSVRecord;

/**
 * Pass 2: the rows of the selected images whose class is wanted, parsed and validated; bad rows go
 * to the dead letters. Per line it only compares the leading ImageID with the previous line's (OID
 * files are grouped by image) and looks it up in the selection when it changes; only the rows of
 * selected images are parsed with Commons CSV.
 */
class ReadSelectedRowsFn extends DoFn<CsvShard, BoxRow> {
  static final TupleTag<BoxRow> BOXES = new TupleTag<>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final PCollectionView<Selection> selectionView;
  private final Set<String> wantedMids;
  private final ScanProgress progress;
  private final Counter bytes = Metrics.counter(DatasetPipeline.METRICS, "pass2.bytes");
  private final Counter rowsOfSelected = Metrics.counter(DatasetPipeline.METRICS, "rows.ofSelectedImages");
  private final Counter boxesRead = Metrics.counter(DatasetPipeline.METRICS, "rows.wanted");
  private final Counter deadLetters = Metrics.counter(DatasetPipeline.METRICS, "rows.deadLetters");

  private transient Selection cachedSelection;
  private transient Set<String> selected;

  ReadSelectedRowsFn(PCollectionView<Selection> selectionView, Set<String> wantedMids, ScanProgress progress) {
    this.selectionView = selectionView;
    this.wantedMids = Set.copyOf(wantedMids);
    this.progress = progress;
  }

  @ProcessElement
  public void process(@Element CsvShard shard, ProcessContext context) throws IOException {
    Selection selection = context.sideInput(selectionView);
    if (selection != cachedSelection) {
      selected = new HashSet<>(selection.imageIds());
      cachedSelection = selection;
    }
    if (selected.isEmpty()) {
      return;
    }
    AnnotationColumns columns = shard.columns();
    ShardReader.read(shard, (chunk, offset) -> {
      String previousKey = "\u0000";
      boolean previousSelected = false;
      int length = chunk.length();
      for (int pos = 0; pos < length; ) {
        int end = ShardReader.lineEnd(chunk, pos);
        boolean isSelected;
        if (columns.imageId() != 0) {
          isSelected = true; // ImageID is not the first column: parse every row (slow path)
        } else if (startsWithKey(chunk, pos, end, previousKey)) {
          isSelected = previousSelected;
        } else {
          previousKey = firstField(chunk, pos, end);
          previousSelected = isSelected = selected.contains(previousKey);
        }
        if (isSelected) {
          readRow(shard, ShardReader.line(chunk, pos, end), offset + pos, context);
        }
        pos = end + 1;
      }
      bytes.inc(length);
      progress.add(length);
    });
  }

  private void readRow(CsvShard shard, String line, long offset, ProcessContext context) {
    if (line.isEmpty()) {
      return;
    }
    try {
      CSVRecord r = RowParser.fields(line);
      if (shard.columns().imageId() != 0 && (r.size() <= shard.columns().imageId()
          || !selected.contains(r.get(shard.columns().imageId()).strip()))) {
        return;
      }
      rowsOfSelected.inc();
      BoxRow box = RowParser.parse(r, shard.columns(), wantedMids);
      if (box != null) {
        boxesRead.inc();
        context.output(box);
      }
    } catch (RowParser.BadRow e) {
      deadLetters.inc();
      context.output(DEAD_LETTERS, new DeadLetter(shard.file(), offset, e.getMessage(), line));
    }
  }

  /** The line starts with {@code key} as its whole first field (quoted or not). */
  static boolean startsWithKey(String chunk, int pos, int end, String key) {
    int at = pos < end && chunk.charAt(pos) == '"' ? pos + 1 : pos;
    int after = at + key.length();
    if (after >= end || !chunk.startsWith(key, at)) {
      return false;
    }
    char c = chunk.charAt(after);
    return at == pos ? c == ',' : c == '"';
  }

  /** The first field of a line, without quotes. */
  static String firstField(String chunk, int pos, int end) {
    if (pos < end && chunk.charAt(pos) == '"') {
      int close = chunk.indexOf('"', pos + 1);
      return chunk.substring(pos + 1, close < 0 || close > end ? end : close);
    }
    int comma = chunk.indexOf(',', pos);
    return chunk.substring(pos, comma < 0 || comma > end ? end : comma).strip();
  }
}
