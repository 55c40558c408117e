package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.util.List;

/**
 * One selected image after the checks: its file, its boxes in pixels (sorted), the reasons it
 * breaks a limit or cannot be used, whether it goes into the dataset, and the split of the CSV(s)
 * its rows came from (e.g. {@code train}; "" when none of its rows could be read).
 */
public record ImageRecord(
    String imageId,
    ImageLocation image,
    List<PixelBox> boxes,
    List<String> problems,
    boolean kept,
    String split)
    implements Serializable {}
