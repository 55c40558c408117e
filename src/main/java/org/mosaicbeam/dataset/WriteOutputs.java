package org.mosaicbeam.dataset;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.OutputSet;

/**
 * Writes every output file once all records are known, sorted by ImageID: the dataset in the chosen
 * format, images.txt (the files the dataset references, for upload), report.json and
 * dead-letters.csv. They are one {@link OutputSet}: all appear together or, when a write fails,
 * none does and the previous run's files stay as they were. The records are collected into one list
 * (thousands of small records), which a single writer handles.
 */
class WriteOutputs extends PTransform<PCollection<ImageRecord>, PDone> {
  static final String MANIFEST = "manifest.jsonl";
  static final String COCO = "coco.json";
  static final String YOLO_LABELS = "labels";
  static final String YOLO_CLASSES = "classes.txt";
  static final String IMAGES = "images.txt";
  static final String REPORT = "report.json";
  static final String DEAD_LETTERS = "dead-letters.csv";

  /**
   * What the writer needs to know besides the data; {@code imageFolders} go into report.json (the
   * folders upload may read images from).
   */
  record Settings(
      String output,
      String format,
      String jobName,
      String sourceRefPrefix,
      String creationDate,
      ClassMap classes,
      List<String> imageFolders)
      implements Serializable {
    Settings {
      imageFolders = List.copyOf(imageFolders);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

  private final Settings settings;
  private final PCollectionView<Selection> selection;
  private final PCollection<DeadLetter> deadLetters;

  WriteOutputs(
      Settings settings,
      PCollectionView<Selection> selection,
      PCollection<DeadLetter> deadLetters) {
    this.settings = settings;
    this.selection = selection;
    this.deadLetters = deadLetters;
  }

  @Override
  public PDone expand(PCollection<ImageRecord> records) {
    PCollectionView<List<DeadLetter>> deadView =
        deadLetters
            .apply("BatchDeadLetters", ParDo.of(new Batches.PerBundleFn<DeadLetter>()))
            .setCoder(Batches.listOf(deadLetters.getCoder())) // generic DoFn: not inferred
            .apply("CollectDeadLetters", Combine.globally(new Batches.ConcatFn<DeadLetter>()))
            .apply("AsView", View.asSingleton());
    records
        .apply("BatchRecords", ParDo.of(new Batches.PerBundleFn<ImageRecord>()))
        .setCoder(Batches.listOf(records.getCoder()))
        .apply("CollectRecords", Combine.globally(new Batches.ConcatFn<ImageRecord>()))
        .apply(
            "WriteFiles",
            ParDo.of(new WriteFn(settings, selection, deadView))
                .withSideInputs(selection, deadView));
    return PDone.in(records.getPipeline());
  }

  static class WriteFn extends DoFn<List<ImageRecord>, Void> {
    private final Settings s;
    private final PCollectionView<Selection> selectionView;
    private final PCollectionView<List<DeadLetter>> deadView;

    WriteFn(
        Settings s,
        PCollectionView<Selection> selectionView,
        PCollectionView<List<DeadLetter>> deadView) {
      this.s = s;
      this.selectionView = selectionView;
      this.deadView = deadView;
    }

    @ProcessElement
    public void process(ProcessContext context) throws IOException {
      List<ImageRecord> records = new ArrayList<>(context.element());
      records.sort(Comparator.comparing(ImageRecord::imageId));
      List<ImageRecord> kept = records.stream().filter(ImageRecord::kept).toList();
      List<DeadLetter> dead = context.sideInput(deadView);
      Selection selection = context.sideInput(selectionView);
      write(s, records, kept, selection, dead);
      DatasetMetrics.counter(DatasetMetrics.IMAGES_WITH_REQUIRED_CLASS).inc(selection.candidates());
      DatasetMetrics.counter(DatasetMetrics.IMAGES_SELECTED).inc(selection.imageIds().size());
      DatasetMetrics.counter(DatasetMetrics.OUTPUT_IMAGES).inc(kept.size());
      DatasetMetrics.counter(DatasetMetrics.OUTPUT_BOXES)
          .inc(kept.stream().mapToLong(r -> r.boxes().size()).sum());
    }
  }

  static void write(
      Settings s,
      List<ImageRecord> records,
      List<ImageRecord> kept,
      Selection selection,
      List<DeadLetter> dead)
      throws IOException {
    try (OutputSet set = OutputSet.forFolder(s.output())) {
      String page = write(set, s, records, kept, selection, dead);
      removeOtherRunsFiles(set, s);
      set.publish();
      if (page != null) {
        System.err.println("dataset: report page: open " + page);
      }
    }
  }

  /** Stages the dataset's files; returns its page, or null when the page was not made. */
  private static String write(
      OutputSet set,
      Settings s,
      List<ImageRecord> records,
      List<ImageRecord> kept,
      Selection selection,
      List<DeadLetter> dead)
      throws IOException {
    switch (s.format()) {
      case "groundtruth" ->
          text(
              set,
              s,
              MANIFEST,
              w -> {
                for (ImageRecord r : kept) {
                  w.write(
                      GroundTruthManifest.line(
                          r, s.classes(), s.jobName(), s.sourceRefPrefix(), s.creationDate()));
                  w.write('\n');
                }
              });
      case "yolo" -> {
        for (ImageRecord r : kept) {
          text(
              set, s, YOLO_LABELS + "/" + r.imageId() + ".txt", w -> w.write(YoloLabels.labels(r)));
        }
        text(set, s, YOLO_CLASSES, w -> w.write(YoloLabels.classNames(s.classes())));
      }
      case "coco" -> json(set, s, COCO, CocoDataset.build(kept, s.classes(), s.creationDate()));
      default -> throw new IllegalArgumentException("unknown format " + s.format());
    }
    text(
        set,
        s,
        IMAGES,
        w -> {
          for (ImageRecord r : kept) {
            w.write(r.image().path());
            w.write('\n');
          }
        });
    ObjectNode report =
        DatasetReport.build(records, selection, dead, s.classes(), s.imageFolders());
    json(set, s, REPORT, report);
    List<List<String>> deadRows = writeDeadLetters(set, s, dead);
    return writePage(set, s, report, deadRows, kept);
  }

  /**
   * report.html, a view of report.json: a page that cannot be made is one warning line, never a
   * failed run (report.json is the contract), and no earlier run's page is left beside this report.
   */
  private static String writePage(
      OutputSet set,
      Settings s,
      ObjectNode report,
      List<List<String>> deadRows,
      List<ImageRecord> kept) {
    String page = resolve(s.output(), DatasetPage.PAGE);
    try {
      byte[] html = DatasetPage.html(report, deadRows, kept).getBytes(StandardCharsets.UTF_8);
      set.write(page, "text/html", out -> out.write(html));
      return page;
    } catch (Exception | LinkageError | InternalError e) {
      // InternalError: AWT's font manager on a server whose font configuration is broken
      set.remove(page);
      System.err.println("dataset: report page not written (" + e + ")");
      return null;
    }
  }

  /**
   * Files of an earlier run in another format (or YOLO labels of images no longer in the dataset)
   * would contradict this run's: they go when this run's files are published. Local folders only; a
   * remote folder's runs are whole sets of their own (see {@link OutputSet}).
   */
  private static void removeOtherRunsFiles(OutputSet set, Settings s) throws IOException {
    if (!LocalFiles.isLocal(s.output())) {
      return;
    }
    for (String name : List.of(MANIFEST, COCO, YOLO_CLASSES)) {
      set.remove(resolve(s.output(), name)); // kept when this run wrote it
    }
    File[] labels =
        LocalFiles.localFile(resolve(s.output(), YOLO_LABELS + "/x.txt"))
            .getParentFile()
            .listFiles((folder, name) -> name.endsWith(".txt"));
    for (File label : labels == null ? new File[0] : labels) {
      set.remove(resolve(s.output(), YOLO_LABELS + "/" + label.getName()));
    }
  }

  /** Writes dead-letters.csv; returns its first rows for the page (file, line, reason). */
  private static List<List<String>> writeDeadLetters(
      OutputSet set, Settings s, List<DeadLetter> dead) throws IOException {
    List<DeadLetter> sorted = new ArrayList<>(dead);
    sorted.sort(Comparator.comparing(DeadLetter::file).thenComparingLong(DeadLetter::offset));
    Map<String, TreeSet<Long>> offsetsByFile = new TreeMap<>();
    // offset -1: not a CSV row (e.g. a tarball member) — no line number, and the file is not read
    sorted.stream()
        .filter(d -> d.offset() >= 0)
        .forEach(
            d -> offsetsByFile.computeIfAbsent(d.file(), f -> new TreeSet<>()).add(d.offset()));
    Map<String, Map<Long, Long>> lines = new HashMap<>();
    for (Map.Entry<String, TreeSet<Long>> e : offsetsByFile.entrySet()) {
      lines.put(e.getKey(), lineNumbers(e.getKey(), e.getValue()));
    }
    List<List<String>> first = new ArrayList<>();
    text(
        set,
        s,
        DEAD_LETTERS,
        w -> {
          CSVPrinter csv =
              new CSVPrinter(
                  w,
                  CSVFormat.DEFAULT
                      .builder()
                      .setRecordSeparator('\n')
                      .setHeader("file", "line", "reason", "row")
                      .build());
          for (DeadLetter d : sorted) {
            String line = d.offset() < 0 ? "" : String.valueOf(lines.get(d.file()).get(d.offset()));
            csv.printRecord(d.file(), line, d.reason(), d.row());
            if (first.size() < DatasetPage.DEAD_LETTER_ROWS) {
              first.add(List.of(d.file(), line, d.reason()));
            }
          }
          csv.flush();
        });
    return first;
  }

  /**
   * 1-based line numbers (the header is line 1) of the given byte offsets: one read of the file
   * prefix.
   */
  static Map<Long, Long> lineNumbers(String file, TreeSet<Long> offsets) throws IOException {
    Map<Long, Long> out = new HashMap<>();
    try (InputStream in =
        new BufferedInputStream(
            FilePatterns.open(FileSystems.matchNewResource(file, false)), 1 << 20)) {
      long line = 1;
      long pos = 0;
      byte[] buf = new byte[1 << 16];
      for (long target : offsets) {
        while (pos < target) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, target - pos));
          if (n < 0) {
            break;
          }
          for (int i = 0; i < n; i++) {
            line += buf[i] == '\n' ? 1 : 0;
          }
          pos += n;
        }
        out.put(target, line);
      }
    }
    return out;
  }

  interface TextBody {
    void write(Writer w) throws IOException;
  }

  private static void text(OutputSet set, Settings s, String name, TextBody body)
      throws IOException {
    set.write(
        resolve(s.output(), name),
        "text/plain",
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          body.write(w);
          w.flush();
        });
  }

  private static void json(OutputSet set, Settings s, String name, ObjectNode node)
      throws IOException {
    set.write(
        resolve(s.output(), name),
        "application/json",
        out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, node));
  }

  /** {@code dir/name}; {@code name} may hold one sub-folder ("labels/x.txt"). */
  static String resolve(String dir, String name) {
    org.apache.beam.sdk.io.fs.ResourceId base = FileSystems.matchNewResource(dir, true);
    int slash = name.indexOf('/');
    if (slash > 0) {
      base = base.resolve(name.substring(0, slash), StandardResolveOptions.RESOLVE_DIRECTORY);
      name = name.substring(slash + 1);
    }
    return base.resolve(name, StandardResolveOptions.RESOLVE_FILE).toString();
  }
}
