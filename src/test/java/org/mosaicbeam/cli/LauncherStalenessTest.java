package org.mosaicbeam.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's check that the project jar holds the compiled classes, run as bash in a temp tree:
 * a fresh clone's first build writes target/classes/.built after the jar, and the check once
 * counted the folder's own time, so the class-data archive was never used there.
 */
class LauncherStalenessTest {
  private static final Path LAUNCHER = Path.of("scripts", "mosaicbeam").toAbsolutePath();
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void theJarIsCurrentAfterABuildThatStampedTheClassesFolder(@TempDir Path tree) throws Exception {
    Path classes = Files.createDirectories(tree.resolve("target/classes/org/mosaicbeam"));
    Path cls = Files.writeString(classes.resolve("A.class"), "class");
    Path jar = Files.writeString(tree.resolve("target/mosaicbeam-0.1.0.jar"), "jar");
    time(cls, 0);
    time(jar, 10);
    Path stamp = Files.writeString(tree.resolve("target/classes/.built"), "");
    time(stamp, 20);
    time(tree.resolve("target/classes"), 20); // what creating .built does to the folder
    assertEquals(
        0, jarIsCurrent(tree.resolve("target/classes"), jar), "the folder's own time counted");

    time(cls, 30); // mvn compile after the package
    assertEquals(
        1, jarIsCurrent(tree.resolve("target/classes"), jar), "a class newer than the jar");

    time(cls, 0);
    assertEquals(
        1, jarIsCurrent(tree.resolve("target/classes"), tree.resolve("target/none.jar")), "no jar");
    assertEquals(1, jarIsCurrent(tree.resolve("target/classes"), null), "no jar named");
  }

  private static void time(Path p, int seconds) throws Exception {
    Files.setLastModifiedTime(p, FileTime.fromMillis(T0 + seconds * 1000L));
  }

  /** Sources the launcher (which then only defines its functions) and runs jar_is_current. */
  private static int jarIsCurrent(Path classes, Path jar) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    "bash",
                    "-c",
                    "source \"$1\" && jar_is_current \"$2\" \"$3\"",
                    "test",
                    LAUNCHER.toString(),
                    classes.toString(),
                    jar == null ? "" : jar.toString()))
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals("", out, "sourcing the launcher must only define functions");
    return p.exitValue();
  }
}
