package io.mechsweep.datagen.wikipedia;

import io.mechsweep.datagen.BadInputException;
import io.mechsweep.datagen.DatasetMetadata;
import io.mechsweep.datagen.DatasetReader;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.IntColumns;
import io.mechsweep.datagen.topics.LdaDocument;
import io.mechsweep.datagen.topics.LdaGenerator;
import io.mechsweep.datagen.topics.TopicsVocabulary;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A masked-LM dataset made from a Wikipedia dump: the corpus job's articles
 * ({@link WikipediaCorpus}), MLlib's vocabulary and LDA topics ({@link TopicModel}), and every
 * article as chunks of at most {@code seqLen − 2} vocabulary words between START and END (words
 * outside the vocabulary are left out), each word with its LDA topic. Articles go to train, dev
 * or test by a hash of their page id, so an article's chunks stay together.
 *
 * <p>Beside the chunks (partitioned by {@code split}, like every dataset) go the tables the
 * catalog shows ({@link #sidePath}): {@code pages}, {@code corpus}, {@code vocabulary},
 * {@code topics}, {@code word_topics}; the metadata, written last, covers both.
 */
public final class WikipediaDataset {
  public static final String TASK = "wikipedia";
  /** The fewest vocabulary words a chunk keeps (shorter tails of articles are dropped). */
  public static final int MIN_CHUNK_WORDS = 8;

  public static final StructType CHUNKS = new StructType()
      .add("row", DataTypes.LongType, false)
      .add("article_id", DataTypes.LongType, false)
      .add("chunk", DataTypes.IntegerType, false)
      .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("topics", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("split", DataTypes.StringType, false);
  public static final StructType PAGES = new StructType()
      .add("status", DataTypes.StringType, false).add("pages", DataTypes.LongType, false);
  public static final StructType CORPUS = new StructType()
      .add("article_id", DataTypes.LongType, false).add("title", DataTypes.StringType, true)
      .add("split", DataTypes.StringType, false)
      .add("words", DataTypes.createArrayType(DataTypes.StringType, true), false);
  public static final StructType VOCABULARY = new StructType()
      .add("token_id", DataTypes.IntegerType, false).add("word", DataTypes.StringType, false);
  public static final StructType TOPICS = new StructType()
      .add("topic", DataTypes.IntegerType, false).add("word", DataTypes.StringType, false)
      .add("weight", DataTypes.DoubleType, false);
  public static final StructType WORD_TOPICS = new StructType()
      .add("word", DataTypes.StringType, false).add("token_id", DataTypes.IntegerType, false)
      .add("topic", DataTypes.IntegerType, false).add("share", DataTypes.DoubleType, false)
      .add("rule", DataTypes.StringType, false).add("log_perplexity", DataTypes.DoubleType, false);
  /**
   * Where side table {@code name} ({@code pages}, {@code corpus}, …) of the dataset at {@code dir}
   * is: beside it, in {@code <dir>.tables/}, since Spark would read a directory inside the dataset
   * as part of it (and ignores one whose name starts with '_' even when asked for it).
   */
  public static String sidePath(String dir, String name) {
    return dir + ".tables/" + name;
  }

  /**
   * Everything that determines the dataset.
   *
   * @param input the dump ({@code .xml}, {@code .xml.bz2}) or a Parquet table {@code id, title, text}
   * @param seqLen tokens per model input: START, up to {@code seqLen − 2} words, END
   * @param devShare share of articles held out as dev (early stopping, dev cross-entropy)
   * @param testShare share held out as test (probes)
   */
  public record Spec(String input, TopicModel.Spec topics, int seqLen, double devShare, double testShare, long seed)
      implements Serializable {
    public Spec {
      if (seqLen < MIN_CHUNK_WORDS + 2 || !(devShare > 0) || !(testShare > 0) || devShare + testShare >= 1) {
        throw new IllegalArgumentException("wikipedia dataset spec out of range: " + this);
      }
    }

    /** Specials and words. */
    public int vocabularySize() {
      return TopicsVocabulary.SPECIALS + topics.vocabularySize();
    }
  }

  /** The chunks by split and the vocabulary's topics, as training and probes read them. */
  public record Corpus(String datasetId, Spec spec, int vocabularySize, List<LdaDocument> train,
      List<LdaDocument> dev, List<LdaDocument> test, int[] topicOfWord, List<int[]> topWordsByTopic)
      implements Serializable {}

  private final Spec spec;

  public WikipediaDataset(Spec spec) {
    this.spec = spec;
  }

  public String datasetId() {
    return DatasetMetadata.idOf(TASK, spec);
  }

  /** Runs the corpus job, fits the topics and writes chunks, side tables and (last) the metadata. */
  public DatasetWriter.Result write(SparkSession spark, String dir) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    for (Path p : List.of(path, new Path(sidePath(dir, "")))) {
      if (fs.exists(p)) {
        fs.delete(p, true); // an incomplete earlier attempt: start over
      }
    }
    try {
      return write(spark, dir, System.nanoTime());
    } catch (Exception e) { // Spark's own SparkException is checked, and thrown undeclared
      BadInputException unreadable = e instanceof BadInputException ? null : DumpInput.readFailure(e, spec.input());
      if (unreadable != null) {
        throw unreadable;
      }
      throw e;
    }
  }

  private DatasetWriter.Result write(SparkSession spark, String dir, long start) throws IOException {
    WikipediaCorpus.Result corpus = WikipediaCorpus.build(spark, spec.input());
    CorpusCheck.articles(spec.input(), corpus.counts(), spec.topics());
    Dataset<Row> articles = corpus.articles().cache();
    try {
      long articleCount = articles.count();
      CountVectorizerModel counts = TopicModel.vocabulary(articles, articleCount, spec.topics());
      CorpusCheck.vocabulary(spec.input(), articleCount, counts.vocabulary().length, spec.topics());
      ArticleSplits.Result splits = ArticleSplits.assign(spark, articles, articleCount, spec);
      Dataset<Row> withSplit = splits.articles();
      CorpusCheck.chunks(spec.input(), chunksBySplit(counts.transform(withSplit)), MIN_CHUNK_WORDS);
      TopicModel.Fitted fit = TopicModel.fit(articles, counts, spec.topics());
      Map<String, int[]> words = new HashMap<>(); // word -> {token id, topic}
      for (int i = 0; i < fit.assignment().size(); i++) {
        Row a = fit.assignment().get(i);
        words.put(a.getString(0), new int[] {TopicsVocabulary.tokenOfWord(i), a.getInt(1)});
      }
      Broadcast<Map<String, int[]>> vocabulary =
          org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(words);
      long rows = writeChunks(spark, withSplit, vocabulary, dir);

      List<Row> pages = new ArrayList<>();
      WikipediaCorpus.STATUSES.forEach(status -> pages.add(RowFactory.create(status, corpus.counts().of(status))));
      spark.createDataFrame(pages, PAGES).coalesce(1).write().parquet(sidePath(dir, "pages"));
      withSplit.selectExpr("id AS article_id", "title", "split", "tokens AS words").coalesce(1).write()
          .parquet(sidePath(dir, "corpus"));
      List<Row> vocabularyRows = new ArrayList<>();
      List<Row> wordTopics = new ArrayList<>();
      for (int i = 0; i < fit.assignment().size(); i++) {
        Row a = fit.assignment().get(i);
        int token = TopicsVocabulary.tokenOfWord(i);
        vocabularyRows.add(RowFactory.create(token, a.getString(0)));
        wordTopics.add(RowFactory.create(a.getString(0), token, a.getInt(1), a.getDouble(2), spec.topics().rule(),
            fit.logPerplexity()));
      }
      spark.createDataFrame(vocabularyRows, VOCABULARY).coalesce(1).write().parquet(sidePath(dir, "vocabulary"));
      spark.createDataFrame(fit.topics(), TOPICS).coalesce(1).write().parquet(sidePath(dir, "topics"));
      spark.createDataFrame(wordTopics, WORD_TOPICS).coalesce(1).write().parquet(sidePath(dir, "word_topics"));
      long assigned = wordTopics.stream().filter(r -> r.getInt(2) >= 0).count();
      String details = corpus.counts().describe() + (corpus.counts().malformedExamples().isEmpty() ? ""
          : "; skipped e.g. " + String.join("; ", corpus.counts().malformedExamples())) + String.format(
          java.util.Locale.ROOT, "; vocabulary %,d words, %,d of them assigned to one of %d LDA topics (%s);"
          + " LDA log perplexity %.3f; articles split %s", wordTopics.size(), assigned, spec.topics().topics(),
          spec.topics().rule(), fit.logPerplexity(), splits.rule());
      return DatasetWriter.commit(spark, dir, TASK, datasetId(), spec.seed(), spec, rows,
          (System.nanoTime() - start) / 1e9, details);
    } finally {
      articles.unpersist();
    }
  }

  /**
   * Per split, {articles, chunks} as {@link #chunksOf} will cut them: an article with k vocabulary
   * words (the sum of its term counts {@code tf}) makes ⌊k / w⌋ chunks, one more when the rest
   * holds at least {@link #MIN_CHUNK_WORDS}.
   */
  private Map<String, long[]> chunksBySplit(Dataset<Row> tf) {
    int w = spec.seqLen() - 2;
    Column k = functions.aggregate(org.apache.spark.ml.functions.vector_to_array(functions.col("tf"), "float64"),
        functions.lit(0.0), (sum, x) -> sum.plus(x)).cast("long");
    Column chunks = functions.floor(k.divide(w)).plus(functions.when(k.mod(w).geq(MIN_CHUNK_WORDS), 1).otherwise(0));
    Map<String, long[]> out = new HashMap<>();
    for (Row r : tf.groupBy("split").agg(functions.count("*"), functions.sum(chunks)).collectAsList()) {
      out.put(r.getString(0), new long[] {r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2)});
    }
    return out;
  }

  /** The chunks, numbered in (article id, chunk) order; returns how many. */
  private long writeChunks(SparkSession spark, Dataset<Row> articles, Broadcast<Map<String, int[]>> vocabulary,
      String dir) {
    int words = spec.seqLen() - 2;
    JavaRDD<Row> chunks = articles.select("id", "split", "tokens").orderBy("id").javaRDD()
        .flatMap((FlatMapFunction<Row, Row>) a -> chunksOf(a, vocabulary.value(), words).iterator());
    JavaRDD<Row> numbered = chunks.zipWithIndex().map((Tuple2<Row, Long> t) -> {
      Row c = t._1();
      return RowFactory.create(t._2(), c.get(0), c.get(1), c.get(2), c.get(3), c.get(4));
    });
    Dataset<Row> frame = spark.createDataFrame(numbered, CHUNKS).cache();
    try {
      frame.write().mode(SaveMode.ErrorIfExists).partitionBy("split").parquet(dir);
      return frame.count();
    } finally {
      frame.unpersist();
    }
  }

  /** One article's chunks as {@code article_id, chunk, tokens, topics, split}. */
  static List<Row> chunksOf(Row article, Map<String, int[]> vocabulary, int wordsPerChunk) {
    List<int[]> kept = new ArrayList<>();
    for (Object w : article.getList(2)) {
      int[] entry = vocabulary.get((String) w);
      if (entry != null) {
        kept.add(entry);
      }
    }
    List<Row> out = new ArrayList<>();
    for (int from = 0, chunk = 0; from < kept.size(); from += wordsPerChunk, chunk++) {
      int n = Math.min(wordsPerChunk, kept.size() - from);
      if (n < MIN_CHUNK_WORDS) {
        break;
      }
      Integer[] tokens = new Integer[n + 2];
      Integer[] topics = new Integer[n];
      tokens[0] = TopicsVocabulary.START;
      for (int i = 0; i < n; i++) {
        tokens[i + 1] = kept.get(from + i)[0];
        topics[i] = kept.get(from + i)[1];
      }
      tokens[n + 1] = TopicsVocabulary.END;
      out.add(RowFactory.create(article.getLong(0), chunk, tokens, topics, article.getString(1)));
    }
    return out;
  }

  /** Reads a written dataset back; refused when incomplete, damaged or made by another spec. */
  public static Corpus read(SparkSession spark, String dir, Spec spec) throws IOException {
    DatasetMetadata metadata = DatasetReader.requireComplete(spark, dir);
    String id = new WikipediaDataset(spec).datasetId();
    if (!TASK.equals(metadata.task()) || !id.equals(metadata.datasetId())) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " is " + metadata.task() + " dataset " + metadata.datasetId()
          + ", not the " + TASK + " dataset " + id + " this config makes");
    }
    int words = spec.topics().vocabularySize();
    List<Row> assignment = spark.read().schema(WORD_TOPICS).parquet(sidePath(dir, "word_topics")).collectAsList();
    int[] topicOfWord = new int[assignment.size()];
    for (Row r : assignment) {
      topicOfWord[r.getInt(1) - TopicsVocabulary.SPECIALS] = r.getInt(2);
    }
    if (assignment.size() > words) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has " + assignment.size() + " words, more than its spec's " + words);
    }
    return new Corpus(id, spec, TopicsVocabulary.SPECIALS + assignment.size(),
        documents(DatasetReader.readSplit(spark, dir, metadata, LdaGenerator.TRAIN)),
        documents(DatasetReader.readSplit(spark, dir, metadata, LdaGenerator.DEV)),
        documents(DatasetReader.readSplit(spark, dir, metadata, LdaGenerator.TEST)), topicOfWord,
        topWords(spark, dir, assignment));
  }

  /** Per topic, its assigned words by falling weight (the heatmap shows a few of each). */
  private static List<int[]> topWords(SparkSession spark, String dir, List<Row> assignment) {
    Map<String, Integer> tokenOf = new HashMap<>();
    Map<String, Integer> topicOf = new HashMap<>();
    for (Row r : assignment) {
      tokenOf.put(r.getString(0), r.getInt(1));
      topicOf.put(r.getString(0), r.getInt(2));
    }
    Map<Integer, List<Integer>> byTopic = new java.util.TreeMap<>();
    for (Row r : spark.read().schema(TOPICS).parquet(sidePath(dir, "topics")).orderBy(
        org.apache.spark.sql.functions.col("topic"), org.apache.spark.sql.functions.col("weight").desc(),
        org.apache.spark.sql.functions.col("word")).collectAsList()) {
      if (topicOf.get(r.getString(1)) == r.getInt(0)) {
        byTopic.computeIfAbsent(r.getInt(0), t -> new ArrayList<>()).add(tokenOf.get(r.getString(1)));
      }
    }
    return byTopic.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
  }

  private static List<LdaDocument> documents(List<Row> rows) {
    List<LdaDocument> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new LdaDocument(r.getLong(r.fieldIndex("row")), r.getString(r.fieldIndex("split")),
          IntColumns.read(r, "tokens"), IntColumns.read(r, "topics"), new double[0]));
    }
    return out;
  }
}
