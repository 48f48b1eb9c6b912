package io.mechsweep.jobs.tasks.wikipedia;

import io.mechsweep.datagen.wikipedia.MarkupStripper;
import io.mechsweep.datagen.wikipedia.WikipediaCorpus;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mechsweep bench-wikipedia}: throughput of the Wikipedia corpus job on a dump built by
 * repeating a sample's pages under new ids, as plain XML and as bz2, on 1 and 2 local cores. The
 * baseline, measured in the same invocation, is one plain JVM thread doing the same per-page work
 * (read the XML, parse each page, strip its markup) without Spark.
 */
@Command(
    name = "bench-wikipedia",
    mixinStandardHelpOptions = true,
    description = "Pages/s and MB/s of the Wikipedia corpus job (dump parse, markup stripping, tokenizing,"
        + " counting) on a dump made of --copies copies of the sample's pages with new ids, plain and bz2,"
        + " at 1 and 2 cores, against one plain JVM thread measured now.")
public final class WikipediaBench implements Callable<Integer> {
  @Option(names = "--sample", paramLabel = "DUMP.xml.bz2",
      defaultValue = "../shared/data/wikipedia/enwiki-sample-pages-articles.xml.bz2",
      description = "The pages to repeat. Default: ${DEFAULT-VALUE}.") Path sample;
  @Option(names = "--copies", defaultValue = "50", description = "Copies of the sample's pages. Default: ${DEFAULT-VALUE}.")
  int copies;
  @Option(names = "--work", defaultValue = "mechsweep-out/bench-wikipedia",
      description = "Where the built dumps go (reused when present). Default: ${DEFAULT-VALUE}.") Path work;
  @Option(names = "--cores", split = ",", defaultValue = "1,2", description = "Local cores to try.") List<Integer> cores;

  private static final Pattern PAGE_ID = Pattern.compile("(<page>\\s*<title>[^<]*</title>\\s*<ns>[^<]*</ns>\\s*<id>)(\\d+)(</id>)");

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    Path xml = work.resolve("dump-" + copies + ".xml");
    Path bz2 = work.resolve("dump-" + copies + ".xml.bz2");
    long pages = build(xml, bz2);
    double mb = Files.size(xml) / 1e6;
    System.out.printf(Locale.ROOT, "dump: %,d pages, %.1f MB of XML, %.1f MB as bz2 (%s)%n", pages, mb,
        Files.size(bz2) / 1e6, work);

    double baseline = plainThread(xml);
    System.out.printf(Locale.ROOT, "baseline: one JVM thread, no Spark: %.1f s = %,.0f pages/s, %.2f MB/s%n", baseline,
        pages / baseline, mb / baseline);
    for (int n : cores) {
      for (Path input : List.of(xml, bz2)) {
        try (SparkSession spark = SparkSession.builder().master("local[" + n + "]").appName("bench-wikipedia")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(2 * n))
            .getOrCreate()) {
          long t0 = System.nanoTime();
          WikipediaCorpus.Result r = WikipediaCorpus.build(spark, input.toString());
          long articles = r.articles().count();
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "spark local[%d] %-4s %2d task(s): %.1f s = %,.0f pages/s, %.2f MB/s of XML"
                  + " (%.2f× the baseline); %,d articles kept; %s%n", n, input.toString().endsWith(".bz2") ? "bz2" : "xml",
              r.articles().rdd().getNumPartitions(), s, pages / s, mb / s, baseline / s, articles, r.counts().describe());
        }
      }
    }
    return 0;
  }

  /** Writes the dump (reused when both files exist); returns its page count. */
  private long build(Path xml, Path bz2) throws Exception {
    BZip2Codec codec = new BZip2Codec();
    codec.setConf(new Configuration());
    String text;
    try (InputStream in = codec.createInputStream(Files.newInputStream(sample))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int first = text.indexOf("<page>");
    int last = text.lastIndexOf("</page>") + "</page>".length();
    String header = text.substring(0, first);
    String body = text.substring(first, last);
    String footer = text.substring(last);
    long perCopy = body.split("<page>", -1).length - 1;
    if (Files.exists(xml) && Files.exists(bz2)) {
      return perCopy * copies;
    }
    // The writer closes the bz2 stream once: closing that stream a second time fails.
    try (Writer plain = Files.newBufferedWriter(xml, StandardCharsets.UTF_8);
        Writer packed = new java.io.OutputStreamWriter(codec.createOutputStream(Files.newOutputStream(bz2)),
            StandardCharsets.UTF_8)) {
      plain.write(header);
      packed.write(header);
      for (int c = 0; c < copies; c++) {
        long offset = (long) c * 100_000_000L; // new ids: the sample's own ids stay below 10^8
        Matcher m = PAGE_ID.matcher(body);
        StringBuilder copy = new StringBuilder(body.length() + 1024);
        while (m.find()) {
          m.appendReplacement(copy, Matcher.quoteReplacement(m.group(1) + (Long.parseLong(m.group(2)) + offset) + m.group(3)));
        }
        m.appendTail(copy);
        copy.append("\n  "); // the dump's own layout: one page element after another, each on its own lines
        plain.write(copy.toString());
        packed.write(copy.toString());
      }
      plain.write(footer);
      packed.write(footer);
    }
    return perCopy * copies;
  }

  /** The per-page work in one thread: split at </page>, parse, strip. */
  private static double plainThread(Path xml) throws Exception {
    MarkupStripper stripper = new MarkupStripper();
    javax.xml.stream.XMLInputFactory factory = javax.xml.stream.XMLInputFactory.newInstance();
    factory.setProperty(javax.xml.stream.XMLInputFactory.IS_NAMESPACE_AWARE, false);
    long t0 = System.nanoTime();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(xml), StandardCharsets.UTF_8))) {
      StringBuilder page = new StringBuilder();
      String line;
      while ((line = r.readLine()) != null) {
        page.append(line).append('\n');
        if (line.contains("</page>") && page.indexOf("<page>") >= 0) {
          String chunk = page.substring(page.indexOf("<page>"));
          org.apache.spark.sql.Row row = io.mechsweep.datagen.wikipedia.WikiDump.page(factory, chunk);
          if (row.isNullAt(3) && !row.isNullAt(4) && !row.isNullAt(2) && row.getLong(2) == 0) {
            try {
              stripper.strip(row.getString(1), row.getString(4));
            } catch (Exception | StackOverflowError e) {
              // counted as malformed by the job; the baseline only spends the time
            }
          }
          page.setLength(0);
        }
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
