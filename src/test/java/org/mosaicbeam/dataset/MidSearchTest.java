package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MidSearchTest {
  /**
   * Every occurrence, in order, exactly where String.indexOf finds them (overlaps and edges too),
   * whichever byte is scanned for.
   */
  @Test
  void findsWhatIndexOfFinds() {
    Random random = new Random(7);
    String alphabet = "/m0_1jfk4,\n\"";
    for (String mid : new String[] {"/m/01jfm_", "/m/0k4j", "aa", "a"}) {
      for (int round = 0; round < 200; round++) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(300);
        while (text.length() < length) {
          text.append(
              random.nextInt(8) == 0
                  ? mid
                  : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
        }
        String chunk = text.toString();
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        int to = random.nextInt(bytes.length + 1); // a range that ends before the array does
        for (int anchor = 0; anchor < mid.length(); anchor++) {
          MidSearch search = new MidSearch(mid, anchor);
          for (int from = 0; from <= chunk.length(); from += 1 + random.nextInt(5)) {
            assertEquals(
                chunk.indexOf(mid, from),
                search.next(bytes, from, bytes.length),
                mid + " anchor " + anchor + " from " + from + " in " + chunk);
            int expected = chunk.substring(0, to).indexOf(mid, Math.min(from, to));
            assertEquals(
                from > to ? -1 : expected,
                search.next(bytes, from, to),
                mid + " anchor " + anchor + " in [" + from + ", " + to + ") of " + chunk);
          }
        }
      }
    }
  }

  /**
   * The sampled search scans for the MID byte that is rarest in the sample (here '_'), and still
   * finds every MID.
   */
  @Test
  void scansForTheRarestByteOfTheSample() {
    String text = "id1,xclick,/m/0k4j,1\nid2,xclick,/m/01jfm_,1\nid3,xclick,/m/01jfm_,1\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    MidSearch search = new MidSearch("/m/01jfm_");
    int first = search.next(bytes, 0, bytes.length);
    assertEquals(
        8,
        search
            .anchor()); // '_' and 'f' occur twice, 'j' 3 times, the rest more; ties keep the later
    // byte
    assertEquals(text.indexOf("/m/01jfm_"), first);
    assertEquals(text.lastIndexOf("/m/01jfm_"), search.next(bytes, first + 1, bytes.length));
    assertEquals(-1, search.next(bytes, text.lastIndexOf("/m/01jfm_") + 1, bytes.length));
  }

  /**
   * ByteSearch agrees with a plain loop for every byte value, range start and end (word edges
   * included).
   */
  @Test
  void byteSearchAgreesWithALoop() {
    Random random = new Random(11);
    for (int round = 0; round < 500; round++) {
      byte[] a = new byte[random.nextInt(40)];
      for (int i = 0; i < a.length; i++) {
        a[i] =
            (byte)
                (random.nextBoolean()
                    ? random.nextInt(256)
                    : "\n,\u0080\u00ff".charAt(random.nextInt(4)));
      }
      byte value = (byte) "\n,\u0080\u00ff".charAt(random.nextInt(4));
      int from = random.nextInt(a.length + 1);
      int to = from + random.nextInt(a.length - from + 1);
      int expected = -1;
      for (int i = from; i < to && expected < 0; i++) {
        expected = a[i] == value ? i : -1;
      }
      assertEquals(expected, ByteSearch.indexOf(a, value, from, to));
      int expectedLast = -1;
      for (int i = to - 1; i >= from && expectedLast < 0; i--) {
        expectedLast = a[i] == value ? i : -1;
      }
      assertEquals(expectedLast, ByteSearch.lastIndexOf(a, value, from, to));
    }
  }
}
