package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MidSearchTest {
  /** Every occurrence, in order, exactly where String.indexOf finds them (overlaps and edges too). */
  @Test
  void findsWhatIndexOfFinds() {
    Random random = new Random(7);
    String alphabet = "/m0_1jfk4,\n\"";
    for (String mid : new String[] {"/m/01jfm_", "/m/0k4j", "aa", "a"}) {
      for (int round = 0; round < 200; round++) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(300);
        while (text.length() < length) {
          text.append(random.nextInt(8) == 0 ? mid : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
        }
        String chunk = text.toString();
        MidSearch search = new MidSearch(mid);
        for (int from = 0; from <= chunk.length(); from += 1 + random.nextInt(5)) {
          assertEquals(chunk.indexOf(mid, from), search.next(chunk, from), mid + " from " + from + " in " + chunk);
        }
      }
    }
  }
}
