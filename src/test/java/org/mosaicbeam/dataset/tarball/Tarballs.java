package org.mosaicbeam.dataset.tarball;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds small test tarballs member by member, including the malicious kinds. */
final class Tarballs implements AutoCloseable {
  private final TarArchiveOutputStream tar;

  Tarballs(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    String name = file.getFileName().toString();
    if (name.endsWith(".gz") || name.endsWith(".tgz")) {
      out = new GzipCompressorOutputStream(out);
    }
    tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** A regular file; {@code preserveAbsolute} keeps a leading "/" in the stored name. */
  Tarballs file(String name, String content, boolean preserveAbsolute) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name, preserveAbsolute);
    entry.setSize(bytes.length);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
    return this;
  }

  Tarballs file(String name, String content) throws IOException {
    return file(name, content, false);
  }

  /**
   * A regular file of {@code size} zero bytes, streamed: a member of GiBs costs a few MB of
   * compressed archive and no memory (a "tar bomb").
   */
  Tarballs zeros(String name, long size) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    tar.putArchiveEntry(entry);
    byte[] block = new byte[1 << 20];
    for (long left = size; left > 0; left -= block.length) {
      tar.write(block, 0, (int) Math.min(block.length, left));
    }
    tar.closeArchiveEntry();
    return this;
  }

  Tarballs directory(String name) throws IOException {
    tar.putArchiveEntry(new TarArchiveEntry(name));
    tar.closeArchiveEntry();
    return this;
  }

  /** A symbolic ({@link TarConstants#LF_SYMLINK}) or hard ({@link TarConstants#LF_LINK}) link. */
  Tarballs link(String name, String target, byte type) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, type);
    entry.setLinkName(target);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  Tarballs characterDevice(String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR);
    entry.setDevMajor(1);
    entry.setDevMinor(3);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
    return this;
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
