package org.mosaicbeam.dataset.tarball;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/** Decides which tar members may be written: only plain files with a relative, contained path. */
final class TarMembers {
  private TarMembers() {}

  /**
   * Why {@code entry} must never be written, or {@code null} when it is safe. Links and devices
   * could point outside the output folder or at system files; absolute paths and {@code ..}
   * segments ("zip slip") would write outside it.
   */
  static String unsafeReason(TarArchiveEntry entry) {
    if (entry.isSymbolicLink()) {
      return "symbolic link to " + entry.getLinkName();
    }
    if (entry.isLink()) {
      return "hard link to " + entry.getLinkName();
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      return "device or pipe";
    }
    String name = entry.getName();
    if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
      return "absolute path";
    }
    for (String segment : name.split("[/\\\\]")) {
      if (segment.equals("..")) {
        return "path escapes the output folder (..)";
      }
    }
    if (!entry.isFile() && !entry.isDirectory()) {
      return "not a regular file";
    }
    return null;
  }

  /** The file name part of a member's path ("train_0/abc.jpg" → "abc.jpg"). */
  static String fileName(String memberName) {
    int slash = Math.max(memberName.lastIndexOf('/'), memberName.lastIndexOf('\\'));
    return memberName.substring(slash + 1);
  }
}
