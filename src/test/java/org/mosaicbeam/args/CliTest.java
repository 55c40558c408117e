package org.mosaicbeam.args;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.Storage;
import org.mosaicbeam.io.StorageOptions;
import software.amazon.awssdk.regions.Region;

class CliTest {

  /**
   * A stand-in for a pipeline's options interface (names unlike any real command's: Beam checks
   * every interface registered in the JVM for consistent defaults).
   */
  public interface DemoOptions extends PipelineOptions {
    @Description("Where the demo writes")
    @Default.String("out")
    String getDemoTarget();

    void setDemoTarget(String value);

    @Description("How many")
    @Default.Integer(3)
    int getDemoCount();

    void setDemoCount(int value);
  }

  @Test
  void jobFileIsExpandedAndCommandLineWins(@TempDir Path dir) throws Exception {
    Path job = dir.resolve("job.args");
    Files.writeString(job, "# a job definition\n--demoTarget=from-file\n\n--demoCount=7\n");
    String[] normalized = Cli.normalize(new String[] {"@" + job, "--demoTarget=from-cli"});
    assertArrayEquals(new String[] {"--demoCount=7", "--demoTarget=from-cli"}, normalized);

    DemoOptions options = Cli.parse(new String[] {"@" + job, "--demoTarget=x"}, DemoOptions.class);
    assertEquals("x", options.getDemoTarget());
    assertEquals(7, options.getDemoCount());
  }

  @Test
  void runnerDefaultsComeFirstAndCanBeOverridden(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("runners/direct"));
    Files.writeString(
        home.resolve("runners/direct/options.args"), "--demoCount=5\n--demoTarget=default\n");
    String previous = System.getProperty("mosaicbeam.home");
    System.setProperty("mosaicbeam.home", home.toString());
    try {
      assertArrayEquals(
          new String[] {"--demoTarget=default", "--demoCount=9"},
          Cli.normalize(new String[] {"--demoCount=9"}));
    } finally {
      if (previous == null) {
        System.clearProperty("mosaicbeam.home");
      } else {
        System.setProperty("mosaicbeam.home", previous);
      }
    }
  }

  @Test
  void helpPrintsTheInterfaceOptionsAndReturnsNull() {
    PrintStream old = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      assertNull(Cli.parse(new String[] {"--help"}, DemoOptions.class));
    } finally {
      System.setOut(old);
    }
    String help = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--demoTarget"), help);
    assertTrue(help.contains("Where the demo writes"), help);
    assertTrue(help.contains("--demoCount=N"), help);
    assertTrue(help.contains("How many. Default: 3."), help);
    // Beam's own options only with --help=all
    assertTrue(help.startsWith("usage: scripts/mosaicbeam "), help);
    assertTrue(!help.contains("--stableUniqueNames"), help);
  }

  @Test
  void typosValuesAndSpacesInTheUsersWords() {
    assertEquals(
        "unknown option --demoTraget (did you mean --demoTarget?)",
        assertThrows(
                UserError.class,
                () -> Cli.parse(new String[] {"--demoTraget=x"}, DemoOptions.class))
            .getMessage());
    assertEquals(
        "--demoCount=abc: not a whole number",
        assertThrows(
                UserError.class,
                () -> Cli.parse(new String[] {"--demoCount=abc"}, DemoOptions.class))
            .getMessage());
    assertEquals(
        "--demoCount needs a value: --demoCount=N",
        assertThrows(
                UserError.class, () -> Cli.parse(new String[] {"--demoCount"}, DemoOptions.class))
            .getMessage());
    DemoOptions spaced =
        Cli.parse(new String[] {"--demoTarget", "there", "--demoCount", "4"}, DemoOptions.class);
    assertEquals("there", spaced.getDemoTarget());
    assertEquals(4, spaced.getDemoCount());
    // no --input in this interface: a bare word is a mistake, said as one
    assertEquals(
        "unexpected argument 'ride.mp4': options are --name=value (see --help)",
        assertThrows(UserError.class, () -> Cli.parse(new String[] {"ride.mp4"}, DemoOptions.class))
            .getMessage());
  }

  @Test
  void typoSuggestionsAreCloseNamesOnly() {
    assertEquals("input", Flags.closest("inptu", java.util.List.of("input", "output", "mask")));
    assertEquals(
        "annotations", Flags.closest("annotaions", java.util.List.of("annotations", "images")));
    assertNull(Flags.closest("x", java.util.List.of("crf", "mask")));
  }

  @Test
  void unknownOptionIsAUserError() {
    UserError e =
        assertThrows(
            UserError.class, () -> Cli.parse(new String[] {"--nope=1"}, DemoOptions.class));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  @Test
  void missingJobFileIsAUserError() {
    UserError e =
        assertThrows(UserError.class, () -> Cli.normalize(new String[] {"@/no/such/job.args"}));
    assertTrue(e.getMessage().contains("/no/such/job.args"), e.getMessage());
  }

  /**
   * Without --awsRegion the region comes from the SDK chain's local steps only: parsing never calls
   * the EC2 metadata service (a stand-in on 127.0.0.1 counts the calls), while a client that needs
   * a region still gets it from the whole chain. --endpoint alone still gets a region the SDK
   * accepts; the flag wins.
   */
  @Test
  void regionWithoutTheMetadataService() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer imds = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    imds.createContext(
        "/",
        exchange -> {
          calls.incrementAndGet();
          byte[] body =
              (exchange.getRequestURI().getPath().endsWith("/api/token")
                      ? "token"
                      : "{\"region\" : \"ap-southeast-2\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    imds.start();
    String endpointProperty = "aws.ec2MetadataServiceEndpoint";
    String before = System.getProperty(endpointProperty);
    System.setProperty(endpointProperty, "http://127.0.0.1:" + imds.getAddress().getPort());
    try {
      StorageOptions plain = Cli.parse(new String[0], StorageOptions.class);
      assertEquals(0, calls.get(), "parsing options called the EC2 metadata service");
      assertEquals(Storage.localRegion(), plain.getAwsRegion());
      Region fromChain = Storage.regionOrChain(plain.getAwsRegion());
      assertEquals(
          Storage.localRegion() != null ? Storage.localRegion() : Region.AP_SOUTHEAST_2, fromChain);
      StorageOptions endpoint =
          Cli.parse(new String[] {"--endpoint=http://127.0.0.1:1"}, StorageOptions.class);
      assertEquals(
          Storage.localRegion() != null ? Storage.localRegion() : Region.US_EAST_1,
          endpoint.getAwsRegion());
      StorageOptions given =
          Cli.parse(new String[] {"--awsRegion=eu-west-3"}, StorageOptions.class);
      assertEquals(Region.EU_WEST_3, given.getAwsRegion());
    } finally {
      if (before == null) {
        System.clearProperty(endpointProperty);
      } else {
        System.setProperty(endpointProperty, before);
      }
      imds.stop(0);
    }
  }
}
