package org.mosaicbeam.args;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;

/**
 * The flags an options interface accepts, read from its getters (what Beam reads too), so that
 * checks, suggestions and help come from the interfaces and never from a hand-kept list.
 */
public final class Flags {
  private Flags() {}

  /** One {@code --name}: the getter that declares it. */
  record Flag(String name, Method getter) {
    Class<?> type() {
      return getter.getReturnType();
    }

    boolean isBoolean() {
      return type() == boolean.class || type() == Boolean.class;
    }

    boolean isEnum() {
      return type().isEnum();
    }

    /** The values an enum flag takes, as the user types them (case does not matter). */
    List<String> values() {
      return Arrays.stream(type().getEnumConstants())
          .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
          .toList();
    }

    /** The @Default as the user would type it; null when there is none or it is computed. */
    String defaultText() {
      for (var a : getter.getAnnotations()) {
        if (a instanceof Default.String d) {
          return d.value().isEmpty() ? "\"\"" : d.value();
        } else if (a instanceof Default.Integer d) {
          return String.valueOf(d.value());
        } else if (a instanceof Default.Long d) {
          return String.valueOf(d.value());
        } else if (a instanceof Default.Double d) {
          return trim(d.value());
        } else if (a instanceof Default.Float d) {
          return trim(d.value());
        } else if (a instanceof Default.Boolean d) {
          return String.valueOf(d.value());
        } else if (a instanceof Default.Enum d) {
          return d.value().toLowerCase(Locale.ROOT);
        }
      }
      return null;
    }

    private static String trim(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
  }

  /** Every flag of {@code options} and the interfaces it extends, by name. */
  static Map<String, Flag> of(Class<?> options) {
    Map<String, Flag> flags = new TreeMap<>();
    for (Method m : options.getMethods()) {
      String name = propertyName(m);
      if (name != null) {
        flags.putIfAbsent(name, new Flag(name, m));
      }
    }
    return flags;
  }

  /** Every flag of all {@code interfaces}, by name. */
  static Map<String, Flag> of(Collection<? extends Class<?>> interfaces) {
    Map<String, Flag> flags = new TreeMap<>();
    for (Class<?> c : interfaces) {
      of(c).forEach(flags::putIfAbsent);
    }
    return flags;
  }

  private static String propertyName(Method m) {
    if (m.getParameterCount() != 0
        || Modifier.isStatic(m.getModifiers())
        || m.isDefault()
        || m.getDeclaringClass() == Object.class) {
      return null;
    }
    String n = m.getName();
    int prefix =
        n.startsWith("get") ? 3 : n.startsWith("is") && m.getReturnType() == boolean.class ? 2 : 0;
    if (prefix == 0 || n.length() == prefix || n.equals("getClass")) {
      return null;
    }
    return Character.toLowerCase(n.charAt(prefix)) + n.substring(prefix + 1);
  }

  /**
   * The closest of {@code names} to {@code typed} when it is close enough to be a typo; else null.
   */
  public static String closest(String typed, Collection<String> names) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : names) {
      int d = distance(typed.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    // two edits, or a third of a long name: "inptu" -> "input", not "x" -> "crf"
    return best != null && bestDistance <= Math.max(2, typed.length() / 3) ? best : null;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, swaps of two. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
