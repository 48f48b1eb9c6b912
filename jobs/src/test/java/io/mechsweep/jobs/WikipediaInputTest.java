package io.mechsweep.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mechsweep.datagen.DatasetMetadata;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A researcher's own dump in the wikipedia study's config: each input made here either trains or
 * is refused with exit 2 and one line naming the file and what to do, with nothing in the tables.
 * Refusals from the file's first bytes come before the corpus job; those that need the corpus
 * (too few articles for the splits or the vocabulary bounds) come before LDA.
 */
class WikipediaInputTest {
  static final String CONFIG = """
      study: own-dump
      task:
        name: wikipedia
        input: %s
        seed: 5
        topics: 2
        vocabulary_size: 300
        lda_iterations: 5
        seq_len: 34
      %s
      model: {d_model: 16, d_ff: 32, d_k: 8, heads: 2, depth: [1]}
      training: {steps: 6, batch_size: %d, peak_lr: 1.0e-3, schedule: {kind: constant}}
      seeds: [1]
      evaluation: {every_steps: 3, max_rows_per_set: 20}
      probes: {rows_per_set: 4}
      checkpoints: {every_steps: 3}
      logging: {every_steps: 3}
      """;
  /** Words outside the stop-word list, so each survives the tokenizer. */
  static final String[] LEXICON = ("river mountain valley forest castle bridge harbor island village meadow"
      + " glacier canyon desert prairie volcano lagoon orchard quarry temple tower").split(" ");

  @TempDir Path tmp;

  @Test
  void ownDumpsTrainOrAreRefusedInOneLineWithNothingWritten() throws Exception {
    Path one = write("one.xml", dump(articles(1), 0));
    refused(one, "", "has 1 article(s) to keep (1 pages: 1 articles kept");
    refused(write("two.xml", dump(articles(2), 0)), "", "has 2 article(s) to keep").contains("at least 3");
    refused(write("three.xml", dump(articles(3), 0)), "",
        "has 3 articles: task.max_doc_share 0.5 keeps a word in at most 1 of them, below task.min_docs 2;"
            + " lower task.min_docs or raise task.max_doc_share, or give a larger dump");
    refused(write("redirects.xml", dump(List.of(), 4)), "", "has 0 article(s) to keep (4 pages: 0 articles kept,"
        + " 4 redirects");

    byte[] sample = decompressedSample();
    refused(write("utf16.xml", new String(sample, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16)), "",
        "is encoded in UTF-16BE (by its byte-order mark), and the corpus job reads UTF-8; re-encode it, e.g. iconv");
    byte[] bz2 = Files.readAllBytes(WikipediaStudyTest.SAMPLE);
    Path truncated = write("truncated.xml.bz2", java.util.Arrays.copyOf(bz2, bz2.length / 2));
    refused(truncated, "", "could not be read to its end").contains("truncated or damaged");
    refused(write("notes.txt", "just some notes, not a dump\n".getBytes(StandardCharsets.UTF_8)), "",
        "is not XML (it starts with 'just some notes, not'); give a MediaWiki pages-articles export");
    refused(write("feed.xml", "<?xml version=\"1.0\"?>\n<rss><channel/></rss>\n".getBytes(StandardCharsets.UTF_8)),
        "", "is XML but not a MediaWiki export: its root element is <rss>, not <mediawiki>");
    refused(tmp.resolve("missing.xml"), "", "does not exist");

    Path noText = tmp.resolve("no-text.parquet");
    try (SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .getOrCreate()) {
      spark.createDataFrame(List.of(RowFactory.create(1L, "A", "river valley")), new StructType()
          .add("id", DataTypes.LongType).add("title", DataTypes.StringType).add("body", DataTypes.StringType))
          .write().parquet(noText.toString());
    }
    refused(noText, "", "has no column 'text' (its columns: struct<id:bigint,title:string,body:string>); a Parquet"
        + " input needs columns id (an integer), title and text (strings)");

    // Three articles train once every word may be in any of them: the splits take one article each,
    // and the one training article makes 2 chunks, fewer than a batch of 4 (refused after the dataset).
    Path threeOk = write("three-ok.xml", dump(articles(3), 0));
    String anyShare = "  min_docs: 1\n  max_doc_share: 1.0";
    Path root = tmp.resolve("trains");
    MainTest.Run tooFew = study(threeOk, anyShare, 4, root);
    assertThat(tooFew.code()).as(tooFew.out() + tooFew.err()).isEqualTo(2);
    assertThat(tooFew.err().strip().lines()).hasSize(1);
    assertThat(tooFew.err()).startsWith("mechsweep: training.batch_size: got 4, but the dataset ")
        .contains(" has 2 training rows; lower training.batch_size to at most 2");
    assertThat(root.resolve("tables")).as("no table written").doesNotExist();
    Path metadata;
    try (Stream<Path> files = Files.walk(root.resolve("datasets"))) {
      metadata = files.filter(p -> p.getFileName().toString().equals("_mechsweep_dataset.json")).findFirst()
          .orElseThrow();
    }
    assertThat(DatasetMetadata.read(metadata.getParent().toString(), new org.apache.hadoop.conf.Configuration())
        .orElseThrow().splitRows()).containsEntry("train", 2L).containsKeys("dev", "test").allSatisfy(
            (split, chunks) -> assertThat(chunks).as(split).isPositive());
    MainTest.Run trained = study(threeOk, anyShare, 2, root);
    assertThat(trained.code()).as(trained.out() + trained.err()).isZero();
    assertThat(root.resolve("tables/runs")).isDirectory();
  }

  /** Runs the study on {@code input}; asserts exit 2, one line naming the file, and no table written. */
  private org.assertj.core.api.AbstractStringAssert<?> refused(Path input, String taskLines, String expected)
      throws Exception {
    Path root = tmp.resolve("root-" + input.getFileName());
    MainTest.Run r = study(input, taskLines, 4, root);
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("mechsweep: task.input: " + input + " ").contains(expected)
        .doesNotContain("internal error").doesNotContain("\tat ");
    assertThat(root.resolve("tables")).as("no table written").doesNotExist();
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("_mechsweep_dataset.json")))
          .as("no dataset committed").isEmpty();
    }
    return assertThat(r.err());
  }

  private MainTest.Run study(Path input, String taskLines, int batchSize, Path root) throws Exception {
    Path config = tmp.resolve("own-" + input.getFileName() + ".yaml");
    Files.writeString(config, CONFIG.formatted(input, taskLines, batchSize));
    return MainTest.run("study", config.toString(), "--root", root.toString(), "--catalog", "none");
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(tmp.resolve(name), bytes);
  }

  /** n articles of 60 lexicon words each, drawn with a fixed seed. */
  static List<String> articles(int n) {
    Random random = new Random(17);
    List<String> texts = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      StringBuilder text = new StringBuilder("'''Place " + a + "''' is");
      for (int w = 0; w < 60; w++) {
        text.append(' ').append(LEXICON[random.nextInt(LEXICON.length)]);
      }
      texts.add(text.append('.').toString());
    }
    return texts;
  }

  /** A MediaWiki export: one namespace-0 page per article text, then {@code redirects} redirect pages. */
  static byte[] dump(List<String> articles, int redirects) {
    StringBuilder xml = new StringBuilder("<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\""
        + " xml:lang=\"en\">\n  <siteinfo><sitename>Test</sitename></siteinfo>\n");
    int id = 10;
    for (String text : articles) {
      xml.append(page(id, "Place " + id, "", text));
      id++;
    }
    for (int r = 0; r < redirects; r++) {
      xml.append(page(id, "Alias " + id, "<redirect title=\"Place 10\" />", "#REDIRECT [[Place 10]]"));
      id++;
    }
    return xml.append("</mediawiki>\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String page(int id, String title, String redirect, String text) {
    return "  <page>\n    <title>" + title + "</title>\n    <ns>0</ns>\n    <id>" + id + "</id>\n    " + redirect
        + "\n    <revision><id>" + (1000 + id) + "</id><text xml:space=\"preserve\">" + text
        + "</text></revision>\n  </page>\n";
  }

  private static byte[] decompressedSample() throws Exception {
    try (InputStream in = new BZip2CompressorInputStream(Files.newInputStream(WikipediaStudyTest.SAMPLE))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
