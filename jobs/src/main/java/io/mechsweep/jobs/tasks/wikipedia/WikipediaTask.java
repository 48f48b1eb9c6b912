package io.mechsweep.jobs.tasks.wikipedia;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.analysis.probes.topics.TopicBuckets;
import io.mechsweep.analysis.probes.topics.TopicsProbes;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.tables.Tables;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.analysis.topics.TopicsSummary;
import io.mechsweep.analysis.wikipedia.WikipediaReport;
import io.mechsweep.analysis.wikipedia.WikipediaSummary;
import io.mechsweep.analysis.wikipedia.WikipediaTables;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.topics.LdaDocument;
import io.mechsweep.datagen.topics.MaskedLm;
import io.mechsweep.datagen.topics.TopicsTrainSource;
import io.mechsweep.datagen.topics.TopicsVocabulary;
import io.mechsweep.datagen.wikipedia.TopicModel;
import io.mechsweep.datagen.wikipedia.WikipediaDataset;
import io.mechsweep.jobs.config.Fields;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.jobs.tasks.topics.TopicsTask;
import io.mechsweep.training.model.InitScheme;
import io.mechsweep.training.model.NormPlacement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Study 4 on Wikipedia: the corpus job and MLlib LDA make the dataset ({@link WikipediaDataset});
 * a small BERT-style masked LM trains on its articles, and the topic probes bucket word pairs by
 * the LDA's word → topic assignment. Its encoder can start lego runs ({@code model.init_from}).
 *
 * @param masking the masked-LM rule (the paper's BERT masking, masks drawn as configured)
 */
public record WikipediaTask(WikipediaDataset.Spec spec, MaskedLm masking) implements Task {
  /** The one model setting, as the topics views name it. */
  public static final String SETTING = "bert_mlm";
  /** Words of each topic in the value-product heatmap, and topics shown. */
  static final int HEATMAP_WORDS = 8;
  static final int HEATMAP_TOPICS = 12;

  /** The registry entry: parses {@code task:} and names the Wikipedia tables, views and report. */
  public static final class Kind implements TaskKind {
    @Override
    public String name() {
      return WikipediaDataset.TASK;
    }

    @Override
    public List<Object> commands() {
      return List.of(new WikipediaBench());
    }

    @Override
    public Task parse(JsonNode task, JsonNode evaluation, Fields f) {
      f.onlyKeys(task, "task", Set.of("name", "input", "seed", "topics", "vocabulary_size", "min_docs",
          "max_doc_share", "lda_iterations", "min_share", "seq_len", "dev_share", "test_share", "mask_rate",
          "mask_policy", "mask_seed"));
      String input = f.string(task, "task.input", null);
      if (input == null) {
        f.problems().add("task.input: missing; allowed: a pages-articles dump (.xml or .xml.bz2) or a Parquet table"
            + " id, title, text (a relative path is resolved against the working directory)");
      }
      long seed = f.longValue(task, "task.seed", 0L);
      int topics = f.intIn(task, "task.topics", 10, 2, 10_000);
      int vocabulary = f.intIn(task, "task.vocabulary_size", 2_000, 2, 1_000_000);
      if (vocabulary < topics) {
        f.problem("task.vocabulary_size", vocabulary, "at least task.topics (" + topics + ")");
      }
      int minDocs = f.intIn(task, "task.min_docs", 2, 1, Integer.MAX_VALUE);
      double maxDocShare = f.number(task, "task.max_doc_share", 0.5, 0, 1, true);
      int iterations = f.intIn(task, "task.lda_iterations", 50, 1, 100_000);
      double minShare = f.number(task, "task.min_share", 0.5, 0, 1, false);
      int seqLen = f.intIn(task, "task.seq_len", 66, WikipediaDataset.MIN_CHUNK_WORDS + 2, 4_096);
      double dev = f.number(task, "task.dev_share", 0.1, 0, 0.5, true);
      double test = f.number(task, "task.test_share", 0.1, 0, 0.5, true);
      if (dev + test >= 1) {
        f.problem("task.test_share", test, "below 1 − task.dev_share (" + dev + "): some articles must train");
      }
      MaskedLm masking = TopicsTask.Kind.masking(task, f, seed, MaskedLm.Policy.PER_EPOCH);
      if (!f.problems().isEmpty()) {
        return null;
      }
      return new WikipediaTask(new WikipediaDataset.Spec(input,
          new TopicModel.Spec(topics, vocabulary, minDocs, maxDocShare, iterations, seed, minShare), seqLen, dev, test,
          seed), masking);
    }

    /** BERT-style: pre-LN encoder (bidirectional), an MLP in every block, a head with bias (as lego's). */
    @Override
    public Wiring wiring() {
      return new Wiring(NormPlacement.PRE, false, Set.of(), true);
    }

    /** BERT's initializer range, σ = 0.02, unless the config gives γ or σ. */
    @Override
    public Optional<InitScheme> defaultInit(int dModel) {
      return Optional.of(new InitScheme.FixedStd(0.02));
    }

    @Override
    public List<Tables.Table> tables() {
      return WikipediaTables.ALL;
    }

    @Override
    public List<String> views() {
      return TopicsSummary.VIEWS;
    }

    @Override
    public TaskReport report() {
      return new WikipediaReport();
    }
  }

  @Override
  public TaskKind kind() {
    return new Kind();
  }

  @Override
  public String datasetId() {
    return new WikipediaDataset(spec).datasetId();
  }

  /** Unknown before the corpus job has run; only the progress line uses it. */
  @Override
  public long datasetRows() {
    return 0;
  }

  /** The configured vocabulary: tokens of words that did not pass the filters are never seen. */
  @Override
  public int vocabSize() {
    return spec.vocabularySize();
  }

  @Override
  public int classes() {
    return spec.vocabularySize();
  }

  @Override
  public int seqLen() {
    return spec.seqLen();
  }

  @Override
  public List<String> dataVariants() {
    return List.of(SETTING);
  }

  @Override
  public String runSettings() {
    return masking.describe();
  }

  @Override
  public boolean recordsHeldOutLoss() {
    return true;
  }

  /** The corpus job checks the input first ({@code DumpInput}) and the corpus before LDA ({@code CorpusCheck}). */
  @Override
  public DatasetWriter.Result generate(SparkSession spark, String dir, int partitions) throws IOException {
    return new WikipediaDataset(spec).write(spark, dir);
  }

  @Override
  public Inputs load(SparkSession spark, String dir, int maxEvalRows, int probeRowsPerSet) throws IOException {
    WikipediaDataset.Corpus corpus = WikipediaDataset.read(spark, dir, spec);
    if (corpus.train().isEmpty() || corpus.dev().isEmpty() || corpus.test().isEmpty()) {
      throw new io.mechsweep.datagen.BadInputException("dataset at " + dir + " has " + corpus.train().size() + " train, " + corpus.dev().size()
          + " dev and " + corpus.test().size() + " test chunks; every split needs some (a larger dump, or larger"
          + " task.dev_share/test_share)");
    }
    TaskData data = TopicsTrainSource.taskData(WikipediaDataset.TASK, corpus.datasetId(), corpus.train(), corpus.dev(),
        masking, maxEvalRows, seqLen(), vocabSize());
    return new Inputs(data, probes(corpus, probeRowsPerSet));
  }

  @Override
  public List<String> checkTraining(int batchSize) {
    return List.of();
  }

  /** Needs the corpus job (Spark): the benchmark command does not support this task. */
  @Override
  public TaskData generateInMemory(int maxEvalRows) {
    throw new UnsupportedOperationException("the wikipedia task's data comes from a Spark job over a dump; run"
        + " `mechsweep bench-wikipedia` for its throughput");
  }

  /** Test chunks against the LDA assignment; the heatmap shows the heaviest words of the first topics. */
  private TopicsProbes probes(WikipediaDataset.Corpus corpus, int rows) {
    int[] topics = new int[vocabSize()];
    java.util.Arrays.fill(topics, TopicBuckets.SPECIAL); // specials, and token ids no word took
    for (int w = 0; w < corpus.topicOfWord().length; w++) {
      int t = corpus.topicOfWord()[w];
      topics[TopicsVocabulary.tokenOfWord(w)] = t < 0 ? TopicBuckets.UNASSIGNED : t;
    }
    List<Integer> matrix = new ArrayList<>();
    for (int[] words : corpus.topWordsByTopic().subList(0, Math.min(HEATMAP_TOPICS, corpus.topWordsByTopic().size()))) {
      for (int i = 0; i < Math.min(HEATMAP_WORDS, words.length); i++) {
        matrix.add(words[i]);
      }
    }
    List<int[]> docs = corpus.test().subList(0, Math.min(rows, corpus.test().size())).stream()
        .map(LdaDocument::tokens).toList();
    return new TopicsProbes(docs, topics, matrix.stream().mapToInt(Integer::intValue).toArray(), TopicsVocabulary.PAD);
  }

  /** The corpus job's and the topic model's outputs, one set of rows per dataset id. */
  @Override
  public Map<Tables.Table, Dataset<Row>> datasetTables(SparkSession spark, String dir) {
    Map<Tables.Table, Dataset<Row>> out = new LinkedHashMap<>();
    for (Tables.Table table : WikipediaTables.ALL) {
      String side = WikipediaDataset.sidePath(dir, table.name().substring(WikipediaTables.PREFIX.length()));
      out.put(table, spark.read().parquet(side).withColumn("dataset_id", functions.lit(datasetId()))
          .selectExpr(table.schema().fieldNames()));
    }
    return out;
  }

  @Override
  public String summary(String study, List<RunResult> runs, Views views) {
    return WikipediaSummary.format(views, study);
  }
}
