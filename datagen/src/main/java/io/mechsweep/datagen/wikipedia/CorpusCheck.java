package io.mechsweep.datagen.wikipedia;

import io.mechsweep.datagen.topics.LdaGenerator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a corpus can make a dataset with the task's settings, checked after the corpus job and
 * before the expensive parts (LDA, chunks, writing): each refusal is one line naming the input,
 * what the corpus has and which fields to change. MLlib would otherwise stop deep inside with
 * "requirement failed", or the splits would come out empty.
 */
public final class CorpusCheck {
  /** One article each for train, dev and test. */
  public static final int MIN_ARTICLES = 3;

  private CorpusCheck() {}

  /** Enough articles for the three splits, and room for a word between min_docs and max_doc_share. */
  public static void articles(String input, WikipediaCorpus.Counts counts, TopicModel.Spec spec) {
    long articles = counts.of(WikipediaCorpus.ARTICLE);
    if (counts.pages() == 0) {
      throw DumpInput.refused(input, "holds no page (a MediaWiki export has a <page> element per page, a Parquet"
          + " table a row per article); give a dump with articles");
    }
    if (articles < MIN_ARTICLES) {
      throw DumpInput.refused(input, "has " + articles + " article(s) to keep (" + counts.describe() + "); a dataset"
          + " needs at least " + MIN_ARTICLES + ", one each for train, dev and test; give a larger dump");
    }
    double maxDocs = spec.maxDocShare() * articles;
    if (maxDocs < spec.minDocs()) {
      throw DumpInput.refused(input, String.format(Locale.ROOT, "has %d articles: task.max_doc_share %s keeps a word"
          + " in at most %d of them, below task.min_docs %d; lower task.min_docs or raise task.max_doc_share, or give"
          + " a larger dump", articles, spec.maxDocShare(), (long) Math.floor(maxDocs), spec.minDocs()));
    }
  }

  /** A vocabulary with at least one word per topic. */
  public static void vocabulary(String input, long articles, int words, TopicModel.Spec spec) {
    if (words < spec.topics()) {
      throw DumpInput.refused(input, String.format(Locale.ROOT, "has %d articles, and %d word(s) occur in at least"
          + " task.min_docs %d and at most task.max_doc_share %s of them: fewer than task.topics %d; lower task.topics"
          + " or task.min_docs, or give a larger dump", articles, words, spec.minDocs(), spec.maxDocShare(),
          spec.topics()));
    }
  }

  /**
   * Every split has a chunk to train, stop early or probe on.
   *
   * @param bySplit per split, {articles, chunks}
   */
  public static void chunks(String input, Map<String, long[]> bySplit, int minChunkWords) {
    for (String split : List.of(LdaGenerator.TRAIN, LdaGenerator.DEV, LdaGenerator.TEST)) {
      long[] n = bySplit.getOrDefault(split, new long[2]);
      if (n[1] == 0) {
        throw DumpInput.refused(input, "makes no " + split + " chunk: its " + n[0] + " " + split + " article(s) have"
            + " fewer than " + minChunkWords + " vocabulary words each; give a larger dump, or lower task.min_docs"
            + " to keep more words");
      }
    }
  }
}
