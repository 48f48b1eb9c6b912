package io.mechsweep.datagen.wikipedia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mechsweep.datagen.BadInputException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the first bytes of task.input tell before any work: format, compression, encoding, MediaWiki root. */
class DumpInputTest {
  static final String DUMP = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- exported -->\n"
      + "<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.11/\"><page><title>Ä</title></page></mediawiki>\n";

  @TempDir Path tmp;

  @Test
  void aUtf8MediaWikiDumpPlainOrBz2PassesAndParquetIsToldByItsMagic() throws Exception {
    assertThat(check("dump.xml", DUMP.getBytes(StandardCharsets.UTF_8))).isEqualTo(DumpInput.Format.XML);
    byte[] bom = ("\uFEFF" + DUMP).getBytes(StandardCharsets.UTF_8);
    assertThat(check("bom.xml", bom)).isEqualTo(DumpInput.Format.XML);
    assertThat(check("sample.xml.bz2", Files.readAllBytes(WikipediaCorpusSparkTest.SAMPLE)))
        .isEqualTo(DumpInput.Format.XML);
    assertThat(check("table", "PAR1\0\0\0".getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(DumpInput.Format.PARQUET);
    Files.createDirectories(tmp.resolve("written.parquet"));
    assertThat(DumpInput.check(new Configuration(), tmp.resolve("written.parquet").toString()))
        .isEqualTo(DumpInput.Format.PARQUET);
  }

  @Test
  void whatCannotBeACorpusIsRefusedInOneLineNamingTheFile() throws Exception {
    refused("utf16le.xml", encoded(DUMP, StandardCharsets.UTF_16LE, true), "is encoded in UTF-16LE (by its byte-order mark)");
    refused("nobom.xml", encoded(DUMP, StandardCharsets.UTF_16LE, false), "holds NUL bytes at byte 1");
    refused("latin1.xml", DUMP.replace("UTF-8", "ISO-8859-1").getBytes(StandardCharsets.ISO_8859_1),
        "declares encoding ISO-8859-1 in its XML declaration");
    refused("undeclared.xml", DUMP.replace(" encoding=\"UTF-8\"", "").getBytes(StandardCharsets.ISO_8859_1),
        "is not UTF-8 (an invalid byte sequence");
    refused("empty.xml", new byte[0], "is empty");
    refused("notes.xml", "title,text\nA,b\n".getBytes(StandardCharsets.UTF_8), "is not XML (it starts with 'title,text A,b')");
    refused("feed.xml", "<!DOCTYPE rss>\n<rss/>".getBytes(StandardCharsets.UTF_8),
        "is XML but not a MediaWiki export: its root element is <rss>, not <mediawiki>");
    byte[] bz2 = Files.readAllBytes(WikipediaCorpusSparkTest.SAMPLE);
    refused("renamed.xml", bz2, "is bzip2-compressed, but its name does not end in .bz2");
    refused("fake.xml.bz2", DUMP.getBytes(StandardCharsets.UTF_8), "is not .bz2-compressed, though its name says so");
    refused("broken.xml.bz2", java.util.Arrays.copyOf(bz2, 20), "does not decompress as .bz2");
    assertThatThrownBy(() -> DumpInput.check(new Configuration(), tmp.resolve("nothing.xml").toString()))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("task.input: " + tmp.resolve("nothing.xml")
            + " does not exist (a relative path is resolved against the working directory");
  }

  @Test
  void theRootElementComesAfterDeclarationsCommentsAndADoctype() {
    assertThat(DumpInput.rootElement("<?xml version='1.0'?> <!-- a -->\n<!DOCTYPE x>\n<mediawiki a='1'>"))
        .isEqualTo("mediawiki");
    assertThat(DumpInput.rootElement("<!-- never closed")).isNull();
    assertThat(DumpInput.rootElement("plain text")).isNull();
  }

  private static byte[] encoded(String text, Charset charset, boolean bom) {
    return ((bom ? "\uFEFF" : "") + text).getBytes(charset);
  }

  private DumpInput.Format check(String name, byte[] bytes) throws Exception {
    return DumpInput.check(new Configuration(), Files.write(tmp.resolve(name), bytes).toString());
  }

  private void refused(String name, byte[] bytes, String expected) throws Exception {
    Path file = Files.write(tmp.resolve(name), bytes);
    assertThatThrownBy(() -> DumpInput.check(new Configuration(), file.toString()))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("task.input: " + file + " ")
        .hasMessageContaining(expected).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
