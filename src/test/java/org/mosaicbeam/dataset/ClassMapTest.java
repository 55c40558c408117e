package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.base.UserError;

class ClassMapTest {
  @TempDir Path dir;

  private Map<String, String> descriptions() throws Exception {
    Path file = dir.resolve("class-descriptions-boxable.csv");
    Files.writeString(
        file,
        "\uFEFF/m/01jfm_,Vehicle registration plate\r\n/m/0k4j,Car\r\n"
            + "/m/050gv4,Plate\r\n/m/0gtap00,\"Tap, faucet\"\r\n/m/01bjv,Bus\r\n",
        StandardCharsets.UTF_8);
    return ClassMap.readDescriptions(file.toString());
  }

  @Test
  void readsBomCrlfAndQuotedNamesWithCommas() throws Exception {
    Map<String, String> d = descriptions();
    assertEquals(5, d.size());
    assertEquals("Vehicle registration plate", d.get("/m/01jfm_")); // BOM stripped from the MID
    assertEquals("Tap, faucet", d.get("/m/0gtap00"));
  }

  @Test
  void resolvesNamesAndMidsInOrder() throws Exception {
    ClassMap m =
        ClassMap.resolve(
            descriptions(),
            List.of("vehicle registration plate", "/m/0k4j", "Tap, faucet"),
            "Vehicle registration plate");
    assertEquals(
        List.of("/m/01jfm_", "/m/0k4j", "/m/0gtap00"),
        m.classes().stream().map(ClassMap.OutputClass::mid).toList());
    assertEquals(List.of(0, 1, 2), m.classes().stream().map(ClassMap.OutputClass::id).toList());
    assertEquals("Car", m.classes().get(1).name());
    assertEquals("/m/01jfm_", m.requiredMid());
    assertEquals(2, m.byMid("/m/0gtap00").id());
    assertEquals(null, m.byMid("/m/01bjv"));
  }

  @Test
  void unknownClassSuggestsClosestNames() throws Exception {
    UserError e =
        assertThrows(
            UserError.class,
            () -> ClassMap.resolve(descriptions(), List.of("Vehicle registration plates"), "Car"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "--classes: unknown class 'Vehicle registration plates'; closest matches: "
                    + "'Vehicle registration plate'"),
        e.getMessage());
    UserError plate =
        assertThrows(
            UserError.class,
            () -> ClassMap.resolve(descriptions(), List.of("Car"), "licence plate"));
    assertTrue(
        plate.getMessage().contains("--requireClass: unknown class 'licence plate'"),
        plate.getMessage());
    assertTrue(plate.getMessage().contains("'Plate'"), plate.getMessage());
    UserError cas =
        assertThrows(
            UserError.class, () -> ClassMap.resolve(descriptions(), List.of("Cra"), "Car"));
    assertTrue(
        cas.getMessage().endsWith("closest matches: 'Car', 'Bus', 'Plate'"), cas.getMessage());
  }

  @Test
  void duplicateAndEmptyClassesAreErrors() throws Exception {
    assertThrows(
        UserError.class, () -> ClassMap.resolve(descriptions(), List.of("Car", "/m/0k4j"), "Car"));
    assertThrows(UserError.class, () -> ClassMap.resolve(descriptions(), List.of(), "Car"));
    assertThrows(
        UserError.class, () -> ClassMap.readDescriptions(dir.resolve("nope.csv").toString()));
  }

  @Test
  void editDistance() {
    assertEquals(0, ClassMap.distance("car", "car"));
    assertEquals(1, ClassMap.distance("car", "cars"));
    assertEquals(3, ClassMap.distance("kitten", "sitting"));
  }
}
