package org.mosaicbeam.io;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * The pages a run writes beside its JSON report (anonymize's and dataset's {@code report.html}):
 * one HTML file that opens from file:// with no network (inline CSS, no script or font from
 * elsewhere), readable on a phone, and its charts drawn by JFreeChart. A page is a view of the JSON
 * report, which stays the contract; its numbers are also in data-* attributes, which the page tests
 * compare with the report.
 */
public final class HtmlPage {
  private HtmlPage() {}

  /**
   * A whole page. On load it records in {@code body[data-images-ok]} how many of its images loaded
   * ("3/3"), so a headless browser's DOM dump shows a broken image.
   */
  public static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + esc(title)
        + "</title>\n<style>\n"
        + "body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;padding:12px;max-width:860px;"
        + "color:#222;background:#fff}\n"
        + "h1{font-size:1.3em}h2{font-size:1.1em;margin:0 0 4px}\n"
        + "section{border:1px solid #ddd;border-radius:6px;padding:10px;margin:12px 0}\n"
        + "section.failed{border-color:#d33;background:#fff6f6}\n"
        + ".tag{display:inline-block;padding:0 6px;border-radius:4px;color:#fff;font-size:.85em}\n"
        + ".ok{background:#2a7}.bad{background:#d33;color:#fff;padding:0 4px;border-radius:4px}\n"
        + "p{word-break:break-all}table{border-collapse:collapse;margin:6px 0}\n"
        + "th{text-align:left;font-weight:normal;color:#555;padding:1px 12px 1px 0}"
        + "td{text-align:right;font-variant-numeric:tabular-nums;padding:1px 0 1px 12px}\n"
        + "img{max-width:100%;height:auto}.chart{display:block;margin:8px 0}\n"
        + ".thumbs{display:flex;flex-wrap:wrap;gap:6px}figure{margin:0;flex:1 1 160px;"
        + "max-width:320px}figcaption{font-size:.8em;color:#555}\n"
        + ".note{color:#555;font-size:.9em}.scroll{overflow-x:auto;max-height:420px}\n"
        + "</style>\n</head>\n<body>\n<h1>"
        + esc(title)
        + "</h1>\n"
        + body
        + "<script>addEventListener('load',function(){var i=document.images,n=0;"
        + "for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0)n++;}"
        + "document.body.dataset.imagesOk=n+'/'+i.length;});</script>\n"
        + "</body>\n</html>\n";
  }

  /** A table row: a name and a number. */
  public static void row(StringBuilder s, String name, long value) {
    s.append("<tr><th>").append(esc(name)).append("</th><td>").append(value).append("</td></tr>\n");
  }

  /** A chart as a PNG, on white. */
  public static byte[] png(JFreeChart chart, int width, int height) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(png, chart, width, height);
    return png.toByteArray();
  }

  /** Text for HTML, in an element or an attribute value. */
  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
