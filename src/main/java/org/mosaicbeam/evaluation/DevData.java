package org.mosaicbeam.evaluation;

import java.io.File;

/**
 * Where the development sets are when a flag does not say: {@code ../shared/data} beside the
 * checkout.
 */
final class DevData {
  private DevData() {}

  /**
   * {@code given} when set, else {@code path} under {@code ../shared/data/} beside the checkout.
   */
  static File orShared(String given, String path) {
    return given != null
        ? new File(given)
        : new File(System.getProperty("mosaicbeam.home", "."), "../shared/data/" + path);
  }
}
