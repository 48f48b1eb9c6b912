package io.mechsweep.datagen.wikipedia;

import io.mechsweep.datagen.BadInputException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * What can be known of {@code task.input} before any work, from the file's first bytes: that it
 * exists and can be read, whether it is a Parquet table or an XML dump, and for a dump that it
 * decompresses, is UTF-8 and is a MediaWiki export. Anything else is refused in one line naming
 * the file and what to do. (The page count needs the whole file: the corpus job counts it, and
 * {@link CorpusCheck} refuses a corpus too small for the settings before LDA.)
 */
public final class DumpInput {
  /** How the corpus job reads the input. */
  public enum Format {
    XML,
    PARQUET
  }

  /** Enough for the XML declaration, the root element and the dump's site info. */
  static final int HEAD_BYTES = 64 * 1024;

  private static final String WHAT_TO_GIVE =
      "give a MediaWiki pages-articles export (.xml or .xml.bz2, UTF-8) or a Parquet table id, title, text";
  private static final Pattern DECLARED_ENCODING = Pattern.compile("encoding\\s*=\\s*[\"']([^\"']+)[\"']");

  private DumpInput() {}

  /** The input's format; refused with a {@link BadInputException} when it cannot be a corpus. */
  public static Format check(Configuration conf, String input) {
    Path path = new Path(input);
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      if (status.isDirectory()) {
        return Format.PARQUET; // a table Spark wrote: the schema check reads its footers
      }
      byte[] raw = head(fs.open(path));
      String name = path.getName().toLowerCase(Locale.ROOT);
      if (startsWith(raw, "PAR1") || name.endsWith(".parquet")) {
        return Format.PARQUET;
      }
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      if (codec == null && startsWith(raw, "BZh")) {
        throw refused(input, "is bzip2-compressed, but its name does not end in .bz2, so it would be read as plain"
            + " text; rename it to end in .bz2");
      }
      if (codec == null && raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
        throw refused(input, "is gzip-compressed, but its name does not end in .gz; rename it to end in .gz");
      }
      String extension = codec == null ? "" : codec.getDefaultExtension();
      if ((extension.equals(".bz2") && !startsWith(raw, "BZh"))
          || (extension.equals(".gz") && !startsWith(raw, 0x1f, 0x8b))) {
        throw refused(input, "is not " + extension + "-compressed, though its name says so (Hadoop's codec would"
            + " read it as empty); rename it, or compress it");
      }
      byte[] text = raw;
      if (codec != null) {
        try {
          text = head(codec.createInputStream(fs.open(path)));
        } catch (IOException | RuntimeException e) {
          throw refused(input, "does not decompress as " + codec.getDefaultExtension() + " (" + oneLine(e)
              + "): it is damaged, truncated or not what its name says; `bzip2 -t` or `gzip -t` tells");
        }
      }
      checkXml(input, text);
      return Format.XML;
    } catch (FileNotFoundException e) {
      throw refused(input, "does not exist (a relative path is resolved against the working directory "
          + System.getProperty("user.dir") + "); " + WHAT_TO_GIVE);
    } catch (IOException e) {
      throw refused(input, "cannot be read (" + oneLine(e) + "); check its permissions");
    }
  }

  /** The dump's first bytes, decompressed: UTF-8 XML whose root element is {@code <mediawiki>}. */
  static void checkXml(String input, byte[] head) {
    if (head.length == 0) {
      throw refused(input, "is empty; " + WHAT_TO_GIVE);
    }
    String bom = byteOrderMark(head);
    if (bom != null && !bom.equals("UTF-8")) {
      throw refused(input, "is encoded in " + bom + " (by its byte-order mark), and the corpus job reads UTF-8;"
          + " re-encode it, e.g. iconv -f " + bom + " -t UTF-8 " + new Path(input).getName() + " > dump.xml");
    }
    int from = bom == null ? 0 : 3;
    for (int i = from; i < head.length; i++) {
      if (head[i] == 0) {
        throw refused(input, "holds NUL bytes at byte " + i + ": it is binary, or UTF-16 or UTF-32 without a"
            + " byte-order mark; " + WHAT_TO_GIVE);
      }
    }
    // The declaration is ASCII in every encoding without NUL bytes: read it before validating UTF-8.
    String declaration = new String(head, from, head.length - from, StandardCharsets.ISO_8859_1).stripLeading();
    if (declaration.startsWith("<?xml")) {
      int end = declaration.indexOf("?>");
      Matcher declared = DECLARED_ENCODING.matcher(end < 0 ? declaration : declaration.substring(0, end));
      if (declared.find() && !isUtf8(declared.group(1))) {
        throw refused(input, "declares encoding " + declared.group(1) + " in its XML declaration, and the corpus"
            + " job reads UTF-8; re-encode it, e.g. iconv -f " + declared.group(1) + " -t UTF-8");
      }
    }
    String rest = decodeUtf8(input, Arrays.copyOfRange(head, from, head.length)).stripLeading();
    String root = rootElement(rest);
    if (root == null) {
      String start = rest.substring(0, Math.min(20, rest.length())).replaceAll("\\s+", " ").strip();
      throw refused(input, "is not XML (it starts with '" + start + "'); " + WHAT_TO_GIVE);
    }
    if (!root.equals("mediawiki")) {
      throw refused(input, "is XML but not a MediaWiki export: its root element is <" + root + ">, not <mediawiki>; "
          + WHAT_TO_GIVE);
    }
  }

  /** The name of the first element after declarations, comments and a DOCTYPE; null when none starts it. */
  static String rootElement(String xml) {
    String rest = xml.stripLeading();
    while (true) {
      if (rest.startsWith("<?")) {
        rest = after(rest, "?>");
      } else if (rest.startsWith("<!--")) {
        rest = after(rest, "-->");
      } else if (rest.startsWith("<!")) {
        rest = after(rest, ">");
      } else {
        break;
      }
      if (rest == null) {
        return null;
      }
      rest = rest.stripLeading();
    }
    Matcher name = Pattern.compile("^<([A-Za-z_][\\w.:-]*)").matcher(rest);
    return name.find() ? name.group(1) : null;
  }

  private static String after(String text, String marker) {
    int at = text.indexOf(marker);
    return at < 0 ? null : text.substring(at + marker.length());
  }

  /** The encoding a byte-order mark names, or null without one. */
  static String byteOrderMark(byte[] b) {
    if (startsWith(b, 0xEF, 0xBB, 0xBF)) {
      return "UTF-8";
    }
    if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00)) {
      return "UTF-32LE";
    }
    if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF)) {
      return "UTF-32BE";
    }
    if (startsWith(b, 0xFF, 0xFE)) {
      return "UTF-16LE";
    }
    if (startsWith(b, 0xFE, 0xFF)) {
      return "UTF-16BE";
    }
    return null;
  }

  /** The head as UTF-8; a sequence cut by the head's end is not an error, any other invalid byte is. */
  private static String decodeUtf8(String input, byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    int cut = bytes.length < HEAD_BYTES ? bytes.length : lastCompleteSequence(bytes);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, 0, cut)).toString();
    } catch (CharacterCodingException e) {
      throw refused(input, "is not UTF-8 (an invalid byte sequence in its first " + cut + " bytes), and the corpus"
          + " job reads UTF-8; re-encode it, e.g. iconv -f ISO-8859-1 -t UTF-8");
    }
  }

  /** Where the last UTF-8 sequence that may continue past the buffer starts. */
  private static int lastCompleteSequence(byte[] b) {
    for (int i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
      if ((b[i] & 0xC0) != 0x80) {
        return (b[i] & 0x80) == 0 ? b.length : i;
      }
    }
    return b.length;
  }

  private static boolean isUtf8(String encoding) {
    String e = encoding.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    return e.equals("utf8") || e.equals("usascii") || e.equals("ascii");
  }

  private static byte[] head(InputStream in) throws IOException {
    try (in) {
      return in.readNBytes(HEAD_BYTES);
    }
  }

  private static boolean startsWith(byte[] b, String ascii) {
    return startsWith(b, ascii.chars().toArray());
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A Spark job's failure to read the input (a bz2 cut short, a damaged Parquet file: an
   * {@link IOException} under the job's exception) as a one-line refusal naming the file; null for
   * any other failure, which stays an internal error. Only for jobs whose one input is the dump.
   */
  public static BadInputException readFailure(Throwable failure, String input) {
    String name = new Path(input).getName();
    boolean namesInput = false;
    Throwable io = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      namesInput |= String.valueOf(t.getMessage()).contains(name); // Spark: "error while reading file <path>"
      if (io == null && (t instanceof IOException || t instanceof CharacterCodingException)) {
        io = t;
      }
    }
    if (io == null || !namesInput) {
      return null; // e.g. a write under the root that failed: not the input's fault
    }
    return refused(input, "could not be read to its end (" + io.getClass().getSimpleName() + ": " + oneLine(io)
        + "): it is truncated or damaged; `bzip2 -t` tells for a .bz2 file, or give the dump again");
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }

  /** The one-line refusal: {@code task.input: <file> <what>}. */
  static BadInputException refused(String input, String what) {
    return new BadInputException("task.input: " + input + " " + what);
  }
}
