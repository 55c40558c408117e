package org.mosaicbeam.dataset.sample;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.mosaicbeam.args.Cli;

/**
 * Generates Open-Images-shaped data at any scale, so the dataset pipeline can be demonstrated,
 * tested and benchmarked without a download:
 *
 * <ul>
 *   <li>{@code oidv6-train-annotations-bbox.csv} (21 columns with XClick*; -1 for non-xclick
 *       sources), {@code validation-annotations-bbox.csv} and {@code test-annotations-bbox.csv} (13
 *       columns): rows grouped by image and sorted by ImageID (16 hex digits), like OID;
 *   <li>{@code class-descriptions-boxable.csv} (601 classes, real MIDs for the vehicle classes, one
 *       quoted name containing a comma);
 *   <li>{@code images/<ImageID>.jpg}: small real JPEGs (some grayscale) for the images with a
 *       plate, which is what the default selection keeps;
 *   <li>a few malformed rows and a missing image on request, and {@code generated.json} with the
 *       counts (written last: its presence means the folder is complete).
 * </ul>
 */
public final class OidSampleGenerator {
  static final String TRAIN = "oidv6-train-annotations-bbox.csv";
  static final String VALIDATION = "validation-annotations-bbox.csv";
  static final String TEST = "test-annotations-bbox.csv";
  static final String CLASSES = "class-descriptions-boxable.csv";
  static final String DONE = "generated.json";
  static final double VALIDATION_SHARE = 303_980.0 / 14_610_229;
  static final double TEST_SHARE = 937_327.0 / 14_610_229;

  static final String PLATE = "/m/01jfm_";

  /** Vehicle classes (real OID MIDs) and how often a row of an ordinary image has them. */
  static final String[][] VEHICLES = {
    {"/m/0k4j", "Car"},
    {"/m/01bjv", "Bus"},
    {"/m/07r04", "Truck"},
    {"/m/0pg52", "Taxi"},
    {"/m/04_sv", "Motorcycle"},
    {"/m/0h2r6", "Van"},
  };

  static final double[] VEHICLE_ROW_SHARE = {0.017, 0.0011, 0.001, 0.0004, 0.0007, 0.0005};
  static final String[][] OTHER_REAL = {
    {"/m/01g317", "Person"},
    {"/m/04yx4", "Man"},
    {"/m/03bt1vf", "Woman"},
    {"/m/07j7r", "Tree"},
    {"/m/083wq", "Wheel"},
    {"/m/0h9mv", "Tire"},
    {"/m/01prls", "Land vehicle"},
    {"/m/050gv4", "Plate"},
    {"/m/02wbm", "Food"},
    {"/m/0cgh4", "Building"},
  };
  static final int CLASS_COUNT = 601;
  static final String[] BOOL = {"0", "1"};

  private final SampleOptions options;
  private final List<String> fillerMids = new ArrayList<>();
  private final List<String> plateImages = new ArrayList<>();
  private int malformedLeft;

  OidSampleGenerator(SampleOptions options) {
    this.options = options;
    this.malformedLeft = options.getMalformedRows();
  }

  public static void main(String[] args) throws IOException {
    SampleOptions options = Cli.parse(args, SampleOptions.class);
    if (options != null) {
      long start = System.nanoTime();
      Summary s = new OidSampleGenerator(options).generate();
      System.out.printf(
          Locale.ROOT,
          "generate-oid-sample: %s: %d train + %d validation + %d test rows, %d images with a plate "
              + "(%d JPEGs written), %.1f s%n",
          output(options),
          s.trainRows,
          s.validationRows,
          s.testRows,
          s.plateImages,
          s.jpegs,
          (System.nanoTime() - start) / 1e9);
    }
  }

  static String output(SampleOptions options) {
    return options.getOutput() == null ? "sample" : options.getOutput();
  }

  /** What was generated. */
  record Summary(
      long trainRows, long validationRows, long testRows, long plateImages, long jpegs) {}

  Summary generate() throws IOException {
    Path out = Path.of(output(options));
    Files.createDirectories(out);
    Files.deleteIfExists(out.resolve(DONE));
    writeClasses(out.resolve(CLASSES));
    long rows = options.getRows();
    long train = writeBoxes(out.resolve(TRAIN), rows, true, SampleOptions.seed(options));
    long validation =
        writeBoxes(
            out.resolve(VALIDATION),
            Math.round(rows * VALIDATION_SHARE),
            false,
            SampleOptions.seed(options) + 1);
    long test =
        writeBoxes(
            out.resolve(TEST),
            Math.round(rows * TEST_SHARE),
            false,
            SampleOptions.seed(options) + 2);
    long jpegs = options.getNoImages() ? 0 : writeImages(out.resolve("images"));
    Summary s = new Summary(train, validation, test, plateImages.size(), jpegs);
    Files.writeString(
        out.resolve(DONE),
        String.format(
            Locale.ROOT,
            "{\"rows\": %d, \"train_rows\": %d, \"validation_rows\": %d, \"test_rows\": %d, "
                + "\"plate_images\": %d, \"jpegs\": %d, \"malformed_rows\": %d, \"missing_images\": %d}%n",
            train + validation + test,
            train,
            validation,
            test,
            plateImages.size(),
            jpegs,
            options.getMalformedRows() - malformedLeft,
            options.getNoImages() ? 0 : Math.min(options.getMissingImages(), plateImages.size())));
    return s;
  }

  private void writeClasses(Path file) throws IOException {
    SplittableRandom random = new SplittableRandom(SampleOptions.seed(options) - 1);
    StringBuilder sb = new StringBuilder();
    sb.append(PLATE).append(",Vehicle registration plate\n");
    for (String[] c : VEHICLES) {
      sb.append(c[0]).append(',').append(c[1]).append('\n');
    }
    for (String[] c : OTHER_REAL) {
      sb.append(c[0]).append(',').append(c[1]).append('\n');
      fillerMids.add(c[0]);
    }
    sb.append("/m/0gtap00,\"Tap, faucet\"\n");
    fillerMids.add("/m/0gtap00");
    while (fillerMids.size() < CLASS_COUNT - 1 - VEHICLES.length) {
      String mid =
          "/m/0g"
              + Long.toString(36L * 36 * 36 * 36 + random.nextLong(36L * 36 * 36 * 36 * 35), 36);
      if (!fillerMids.contains(mid)) {
        sb.append(mid).append(",Object ").append(fillerMids.size()).append('\n');
        fillerMids.add(mid);
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** Writes one bbox CSV of about {@code rows} rows; returns the row count. */
  private long writeBoxes(Path file, long rows, boolean train, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    long images = Math.max(1, rows / 8);
    long step =
        Long.divideUnsigned(-1L, images + images / 4 + 1); // sorted unique IDs with room to spare
    long written = 0;
    try (OutputStream stream = Files.newOutputStream(file)) {
      CsvBytes csv = new CsvBytes(stream);
      csv.text(
          train
              ? "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,"
                  + "IsDepiction,IsInside,XClick1X,XClick2X,XClick3X,XClick4X,XClick1Y,XClick2Y,XClick3Y,XClick4Y\n"
              : "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,"
                  + "IsDepiction,IsInside\n");
      byte[] id = new byte[16];
      for (long k = 0; written < rows; k++) {
        long value = k * step + random.nextLong(step);
        hex(value, id);
        boolean plate = random.nextDouble() < options.getPlateImageFraction();
        int boxes = (int) Math.min(rows - written, 1 + random.nextInt(15)); // mean 8 rows per image
        if (plate) {
          plateImages.add(new String(id, StandardCharsets.US_ASCII));
          int plates = 1 + random.nextInt(3);
          boxes = (int) Math.min(rows - written, Math.max(boxes, plates + 2));
          for (int b = 0; b < boxes; b++) {
            String mid =
                b < plates
                    ? PLATE
                    : b < plates + 2
                        ? VEHICLES[random.nextInt(VEHICLES.length)][0]
                        : fillerMids.get(random.nextInt(fillerMids.size()));
            row(csv, id, mid, train, random);
          }
          if (malformedLeft > 0 && written + boxes < rows) {
            malformed(csv, id, train, options.getMalformedRows() - malformedLeft);
            malformedLeft--;
            boxes++;
          }
        } else {
          for (int b = 0; b < boxes; b++) {
            row(csv, id, ordinaryLabel(random), train, random);
          }
        }
        written += boxes;
      }
      csv.flush();
    }
    return written;
  }

  private String ordinaryLabel(SplittableRandom random) {
    double r = random.nextDouble();
    for (int i = 0; i < VEHICLES.length; i++) {
      r -= VEHICLE_ROW_SHARE[i];
      if (r < 0) {
        return VEHICLES[i][0];
      }
    }
    return fillerMids.get(random.nextInt(fillerMids.size()));
  }

  private static void row(
      CsvBytes csv, byte[] id, String mid, boolean train, SplittableRandom random)
      throws IOException {
    int xMin = random.nextInt(900_000);
    int xMax = xMin + 1 + random.nextInt(1_000_000 - xMin);
    int yMin = random.nextInt(900_000);
    int yMax = yMin + 1 + random.nextInt(1_000_000 - yMin);
    boolean xclick = random.nextInt(5) != 0;
    csv.bytes(id).comma().text(xclick ? "xclick" : "activemil").comma().text(mid).text(",1,");
    csv.micros(xMin).comma().micros(xMax).comma().micros(yMin).comma().micros(yMax);
    for (int flag = 0; flag < 5; flag++) {
      csv.comma().text(BOOL[random.nextInt(8) == 0 ? 1 : 0]);
    }
    if (train) {
      for (int i = 0; i < 8; i++) {
        csv.comma();
        if (!xclick) {
          csv.text("-1");
        } else if (i < 4) {
          csv.micros(xMin + random.nextInt(xMax - xMin + 1));
        } else {
          csv.micros(yMin + random.nextInt(yMax - yMin + 1));
        }
      }
    }
    csv.newline();
  }

  /** One bad Car row of the given kind (cycling through the dead-letter reasons). */
  private static void malformed(CsvBytes csv, byte[] id, boolean train, int kind)
      throws IOException {
    String coords =
        switch (kind % 5) {
          case 0 -> "0.600000,0.200000,0.100000,0.300000"; // XMin > XMax
          case 1 -> "NaN,0.200000,0.100000,0.300000";
          case 2 -> "0.100000,1.500000,0.100000,0.300000"; // outside [0,1]
          case 3 -> "0.100000,abc,0.100000,0.300000";
          default -> "0.100000,0.200000,0.100000"; // one column short
        };
    csv.bytes(id).text(",xclick,/m/0k4j,1,").text(coords).text(",0,0,0,0,0");
    if (train) {
      csv.text(",-1,-1,-1,-1,-1,-1,-1,-1");
    }
    csv.newline();
  }

  private long writeImages(Path dir) throws IOException {
    Files.createDirectories(dir);
    byte[][] variants = jpegVariants();
    int missing = Math.min(options.getMissingImages(), plateImages.size());
    long written = 0;
    for (int i = 0; i < plateImages.size() - missing; i++) {
      String id = plateImages.get(i);
      // every 10th image grayscale (variants 0..1), others colour
      byte[] jpeg =
          variants[i % 10 == 0 ? i % 2 : 2 + Math.floorMod(id.hashCode(), variants.length - 2)];
      Files.write(dir.resolve(id + ".jpg"), jpeg);
      written++;
    }
    return written;
  }

  /** A few real JPEGs (two grayscale, the rest colour, various sizes), encoded once and reused. */
  static byte[][] jpegVariants() {
    int[][] sizes = {
      {320, 240}, {240, 320}, {320, 240}, {240, 320}, {400, 300}, {300, 200}, {256, 256}, {480, 270}
    };
    byte[][] out = new byte[sizes.length][];
    for (int v = 0; v < sizes.length; v++) {
      boolean gray = v < 2;
      BufferedImage image =
          new BufferedImage(
              sizes[v][0],
              sizes[v][1],
              gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
      Graphics2D g = image.createGraphics();
      g.setPaint(
          new GradientPaint(
              0,
              0,
              new Color(40 * v % 255, 90, 160),
              sizes[v][0],
              sizes[v][1],
              new Color(230, 200 - 20 * v, 60)));
      g.fillRect(0, 0, sizes[v][0], sizes[v][1]);
      g.setColor(Color.WHITE);
      g.fillRect(
          sizes[v][0] / 3, sizes[v][1] * 2 / 3, sizes[v][0] / 4, sizes[v][1] / 10); // a "plate"
      g.dispose();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        if (!ImageIO.write(image, "jpg", bytes)) {
          throw new IllegalStateException("no JPEG writer");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out[v] = bytes.toByteArray();
    }
    return out;
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static void hex(long value, byte[] out) {
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  /** A buffered byte writer for ASCII CSV: no String formatting per value. */
  static final class CsvBytes {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 20];
    private int n;

    CsvBytes(OutputStream out) {
      this.out = out;
    }

    CsvBytes text(String ascii) throws IOException {
      ensure(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        buf[n++] = (byte) ascii.charAt(i);
      }
      return this;
    }

    CsvBytes bytes(byte[] b) throws IOException {
      ensure(b.length);
      System.arraycopy(b, 0, buf, n, b.length);
      n += b.length;
      return this;
    }

    CsvBytes comma() throws IOException {
      ensure(1);
      buf[n++] = ',';
      return this;
    }

    /** A value in millionths as "0.dddddd" (OID writes six decimals). */
    CsvBytes micros(int millionths) throws IOException {
      ensure(8);
      buf[n++] = (byte) ('0' + millionths / 1_000_000);
      buf[n++] = '.';
      int v = millionths % 1_000_000;
      for (int d = 100_000; d > 0; d /= 10) {
        buf[n++] = (byte) ('0' + v / d % 10);
      }
      return this;
    }

    void newline() throws IOException {
      ensure(1);
      buf[n++] = '\n';
    }

    private void ensure(int bytes) throws IOException {
      if (n + bytes > buf.length) {
        flush();
      }
    }

    void flush() throws IOException {
      out.write(buf, 0, n);
      n = 0;
    }
  }
}
