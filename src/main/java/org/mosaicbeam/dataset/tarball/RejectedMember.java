package org.mosaicbeam.dataset.tarball;

import java.io.Serializable;

/**
 * A tar member that was not extracted, or a tarball that could not be read on ({@code member}
 * empty). Kept as fields, never joined into one text: a reason may itself hold ": " (e.g. "second
 * member for image X (first: train_0/X.jpg)"), which splitting a joined line cut in the wrong
 * place.
 */
public record RejectedMember(String tarball, String member, Why why, String reason)
    implements Serializable {

  /** Why it was not extracted. */
  public enum Why {
    /** absolute path, "..", link, device: would write outside the folder or read system files */
    UNSAFE,
    /** a second member with a selected image's file name */
    DUPLICATE,
    /** larger than --maxImageBytes (declared or while extracting) */
    TOO_LARGE,
    /** the archive is corrupt or truncated: the members after this point were not read */
    UNREADABLE_TARBALL
  }
}
