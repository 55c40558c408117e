package org.mosaicbeam.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.mosaicbeam.io.Progress;

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
  private final Progress.Shared progress;
  private final Counter bytes = DatasetMetrics.counter(DatasetMetrics.PASS2_BYTES);
  private final Counter rowsOfSelected =
      DatasetMetrics.counter(DatasetMetrics.ROWS_OF_SELECTED_IMAGES);
  private final Counter boxesRead = DatasetMetrics.counter(DatasetMetrics.ROWS_WANTED);
  private final Counter deadLetters = DatasetMetrics.counter(DatasetMetrics.ROWS_DEAD_LETTERS);

  private transient Selection cachedSelection;
  private transient Set<String> selected;

  ReadSelectedRowsFn(
      PCollectionView<Selection> selectionView, Set<String> wantedMids, Progress.Shared progress) {
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
    ShardReader.read(
        shard,
        chunk -> {
          byte[] b = chunk.bytes();
          int keyStart = 0; // the previous line's ImageID: bytes [keyStart, keyEnd) of the chunk
          int keyEnd = -1;
          boolean keySelected = false;
          for (int pos = chunk.from(); pos < chunk.to(); ) {
            int end = chunk.lineEnd(pos);
            boolean isSelected;
            if (columns.imageId() != 0) {
              isSelected = true; // ImageID is not the first column: parse every row (slow path)
            } else if (keyEnd >= 0 && startsWithKey(b, pos, end, b, keyStart, keyEnd)) {
              isSelected = keySelected;
            } else {
              keyStart = pos < end && b[pos] == '"' ? pos + 1 : pos;
              keyEnd = firstFieldEnd(b, pos, end);
              keySelected =
                  isSelected =
                      selected.contains(
                          new String(b, keyStart, keyEnd - keyStart, StandardCharsets.UTF_8)
                              .strip());
            }
            if (isSelected) {
              readRow(shard, chunk.line(pos, end), chunk.offsetOf(pos), context);
            }
            pos = end + 1;
          }
          int length = chunk.to() - chunk.from();
          bytes.inc(length);
          progress.add(length);
        });
  }

  private void readRow(CsvShard shard, String line, long offset, ProcessContext context) {
    if (line.isEmpty()) {
      return;
    }
    try {
      List<String> r = RowParser.fields(line);
      if (shard.columns().imageId() != 0
          && (r.size() <= shard.columns().imageId()
              || !selected.contains(r.get(shard.columns().imageId()).strip()))) {
        return;
      }
      rowsOfSelected.inc();
      BoxRow box = RowParser.parse(r, shard.columns(), wantedMids, shard.split());
      if (box != null) {
        boxesRead.inc();
        context.output(box);
      }
    } catch (RowParser.BadRow e) {
      deadLetters.inc();
      context.output(
          DEAD_LETTERS,
          new DeadLetter(shard.file(), offset, DeadLetter.Kind.BAD_ROW, e.getMessage(), line));
    }
  }

  /**
   * The line at {@code pos} has {@code key[keyStart, keyEnd)} as its whole first field (quoted or
   * not).
   */
  static boolean startsWithKey(byte[] b, int pos, int end, byte[] key, int keyStart, int keyEnd) {
    int at = pos < end && b[pos] == '"' ? pos + 1 : pos;
    int after = at + keyEnd - keyStart;
    if (after >= end || !Arrays.equals(b, at, after, key, keyStart, keyEnd)) {
      return false;
    }
    return at == pos ? b[after] == ',' : b[after] == '"';
  }

  /** The end of the line's first field (its closing quote when quoted). */
  static int firstFieldEnd(byte[] b, int pos, int end) {
    boolean quoted = pos < end && b[pos] == '"';
    int close =
        ByteSearch.indexOf(b, quoted ? (byte) '"' : (byte) ',', quoted ? pos + 1 : pos, end);
    return close < 0 ? end : close;
  }
}
