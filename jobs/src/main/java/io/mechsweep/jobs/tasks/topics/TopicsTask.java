package io.mechsweep.jobs.tasks.topics;

import com.fasterxml.jackson.databind.JsonNode;
import io.mechsweep.analysis.probes.topics.TopicBuckets;
import io.mechsweep.analysis.probes.topics.TopicsProbes;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.tables.Views;
import io.mechsweep.analysis.topics.TopicsReport;
import io.mechsweep.analysis.topics.TopicsSummary;
import io.mechsweep.datagen.DatasetWriter;
import io.mechsweep.datagen.TaskData;
import io.mechsweep.datagen.topics.LdaDataset;
import io.mechsweep.datagen.topics.LdaDocument;
import io.mechsweep.datagen.topics.LdaGenerator;
import io.mechsweep.datagen.topics.LdaSpec;
import io.mechsweep.datagen.topics.MaskedLm;
import io.mechsweep.datagen.topics.TopicsVocabulary;
import io.mechsweep.jobs.config.Fields;
import io.mechsweep.jobs.config.StudyConfig;
import io.mechsweep.jobs.tasks.Task;
import io.mechsweep.jobs.tasks.TaskKind;
import io.mechsweep.training.model.FixedInit;
import io.mechsweep.training.model.ModelConfig;
import io.mechsweep.training.model.NormPlacement;
import io.mechsweep.training.topics.TopicsEncoders;
import io.mechsweep.training.topics.TopicsEncoders.Setting;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;

/**
 * Study 4 on synthetic LDA documents (Li, Li, Risteski): a masked LM on the paper's simplified
 * one-layer encoder, one run per setting of {@code task.settings} (a grid axis: the settings
 * freeze and fix different matrices, {@link TopicsEncoders}), probed for topic structure in
 * attention, embeddings and W_V against the corpus's generative topics.
 *
 * @param masking the masked-LM rule; the masks of training documents are drawn once (the source's
 *     way) or afresh each epoch
 * @param nearZero the start of the attention matrices in {@code near_zero_attention}
 */
public record TopicsTask(LdaSpec spec, MaskedLm masking, List<Setting> settings, double nearZero) implements Task {

  /** The registry entry: parses {@code task:} and names the topics views and report. */
  public static final class Kind implements TaskKind {
    @Override
    public String name() {
      return LdaDataset.TASK;
    }

    @Override
    public Task parse(JsonNode task, JsonNode evaluation, Fields f) {
      f.onlyKeys(task, "task", Set.of("name", "seed", "topics", "words_per_topic", "alpha", "min_length", "max_length",
          "train_docs", "dev_docs", "test_docs", "mask_rate", "mask_policy", "mask_seed", "settings",
          "near_zero_scale"));
      long seed = f.longValue(task, "task.seed", 0L);
      int topics = f.intIn(task, "task.topics", LdaSpec.PAPER_TOPICS, 2, 1000);
      int words = f.intIn(task, "task.words_per_topic", LdaSpec.PAPER_WORDS_PER_TOPIC, 1, 100_000 / Math.max(2, topics));
      double alpha = f.number(task, "task.alpha", LdaSpec.PAPER_ALPHA, 0, 100, true);
      int minLength = f.intIn(task, "task.min_length", LdaSpec.PAPER_MIN_LENGTH, 1, 10_000);
      int maxLength = f.intIn(task, "task.max_length", LdaSpec.PAPER_MAX_LENGTH, 1, 10_000);
      if (maxLength < minLength) {
        f.problem("task.max_length", maxLength, "at least task.min_length (" + minLength + ")");
        maxLength = minLength;
      }
      int train = f.intIn(task, "task.train_docs", LdaSpec.PAPER_DOCS, 1, LdaSpec.MAX_DOCS);
      int dev = f.intIn(task, "task.dev_docs", LdaSpec.PAPER_DOCS, 1, LdaSpec.MAX_DOCS);
      int test = f.intIn(task, "task.test_docs", LdaSpec.PAPER_DOCS, 1, LdaSpec.MAX_DOCS);
      MaskedLm masking = masking(task, f, seed, MaskedLm.Policy.ONCE);
      List<Setting> settings = f.choices(task, "task.settings", Setting.class, List.of(Setting.UNIFORM_ATTENTION));
      if (settings.size() != settings.stream().distinct().count()) {
        f.problem("task.settings", settings, "distinct settings");
      }
      double nearZero = f.number(task, "task.near_zero_scale", 0.001, 0, 1, true);
      if (!f.problems().isEmpty()) {
        return null;
      }
      return new TopicsTask(new LdaSpec(seed, topics, words, alpha, minLength, maxLength, train, dev, test),
          masking, List.copyOf(settings), nearZero);
    }

    /** {@code task.mask_rate}, {@code mask_policy}, {@code mask_seed}: the masked-LM rule (also Wikipedia's). */
    public static MaskedLm masking(JsonNode task, Fields f, long seed, MaskedLm.Policy policy) {
      return new MaskedLm(f.longValue(task, "task.mask_seed", seed),
          f.number(task, "task.mask_rate", MaskedLm.PAPER_RATE, 0, 1, true),
          f.choice(task, "task.mask_policy", MaskedLm.Policy.class, policy));
    }

    /** The simplified encoder: no norm, bidirectional, no MLP, no output bias ({@link TopicsEncoders}). */
    @Override
    public Wiring wiring() {
      return new Wiring(NormPlacement.NONE, false, Set.of(0), false);
    }

    @Override
    public List<String> views() {
      return TopicsSummary.VIEWS;
    }

    @Override
    public TaskReport report() {
      return new TopicsReport();
    }
  }

  @Override
  public TaskKind kind() {
    return new Kind();
  }

  @Override
  public String datasetId() {
    return new LdaDataset(spec).datasetId();
  }

  @Override
  public long datasetRows() {
    return new LdaDataset(spec).rowCount();
  }

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
    return spec.maxTokens();
  }

  @Override
  public List<String> dataVariants() {
    return settings.stream().map(Setting::label).toList();
  }

  @Override
  public ModelConfig model(ModelConfig planned, String variant) {
    return TopicsEncoders.of(Setting.valueOf(variant.toUpperCase(Locale.ROOT)), vocabSize(), seqLen(),
        new FixedInit.TopicBlock(TopicsVocabulary.SPECIALS, spec.wordsPerTopic()), new FixedInit.NearZero(nearZero));
  }

  @Override
  public boolean variantsChangeModel() {
    return true;
  }

  /** The simplified encoder's shape is fixed by the vocabulary; the config states it, and must state it right. */
  @Override
  public List<String> checkModel(StudyConfig.Model m) {
    List<String> problems = new ArrayList<>();
    int v = vocabSize();
    Map<String, Integer> widths = new java.util.LinkedHashMap<>();
    widths.put("model.d_model", m.dModel());
    widths.put("model.d_ff", m.dFf());
    widths.put("model.d_k", m.dK());
    widths.forEach((field, width) -> {
      if (width != v) {
        problems.add(field + ": got " + width + "; allowed: " + v
            + " (the topics encoder is as wide as the vocabulary: specials + topics × words_per_topic)");
      }
    });
    if (m.heads() != 1) {
      problems.add("model.heads: got " + m.heads() + "; allowed: 1 (the topics encoder has one head)");
    }
    if (!m.depths().equals(List.of(1))) {
      problems.add("model.depth: got " + m.depths() + "; allowed: [1] (the topics encoder has one layer)");
    }
    if (!m.frozen().isEmpty()) {
      problems.add("model.frozen: got " + m.frozen() + "; allowed: [] (task.settings decides what is frozen)");
    }
    if (m.norm() != NormPlacement.NONE || m.causal() || m.outputBias() || m.tiedLayers().contains(true)
        || m.initFrom().stream().anyMatch(java.util.Objects::nonNull)) {
      problems.add("model: norm none, causal false, output_bias false, tied_layers false and no init_from for the"
          + " topics encoder; got norm " + m.norm().name().toLowerCase(Locale.ROOT) + ", causal " + m.causal()
          + ", output_bias " + m.outputBias() + ", tied_layers " + m.tiedLayers() + ", init_from " + m.initFrom());
    }
    return problems;
  }

  @Override
  public String runSettings() {
    return masking.describe() + "; near_zero_scale=" + nearZero;
  }

  @Override
  public boolean recordsHeldOutLoss() {
    return true;
  }

  @Override
  public List<String> checkTraining(int batchSize) {
    return batchSize > spec.trainDocs()
        ? List.of("training.batch_size: got " + batchSize + "; allowed: at most task.train_docs (" + spec.trainDocs() + ")")
        : List.of();
  }

  @Override
  public DatasetWriter.Result generate(SparkSession spark, String dir, int partitions) throws IOException {
    return new LdaDataset(spec).write(spark, dir, partitions);
  }

  @Override
  public Inputs load(SparkSession spark, String dir, int maxEvalRows, int probeRowsPerSet) throws IOException {
    LdaDataset.Corpus corpus = LdaDataset.read(spark, dir);
    return new Inputs(corpus.taskData(masking, maxEvalRows), probes(corpus.test(), probeRowsPerSet));
  }

  @Override
  public TaskData generateInMemory(int maxEvalRows) {
    LdaGenerator generator = new LdaGenerator(spec);
    return new LdaDataset.Corpus(datasetId(), spec, documents(generator, LdaGenerator.TRAIN, spec.trainDocs()),
        documents(generator, LdaGenerator.DEV, Math.min(spec.devDocs(), maxEvalRows)), List.of())
        .taskData(masking, maxEvalRows);
  }

  private static List<LdaDocument> documents(LdaGenerator generator, String split, int n) {
    return IntStream.range(0, n).mapToObj(i -> generator.document(split, i)).toList();
  }

  /** The first test documents, against the generative topics; the heatmap shows every word. */
  private TopicsProbes probes(List<LdaDocument> test, int rows) {
    int v = vocabSize();
    java.util.function.IntUnaryOperator topicOf = TopicBuckets.synthetic(TopicsVocabulary.SPECIALS, spec.wordsPerTopic());
    int[] topics = IntStream.range(0, v).map(topicOf).toArray();
    List<int[]> docs = test.subList(0, Math.min(rows, test.size())).stream().map(LdaDocument::tokens).toList();
    return new TopicsProbes(docs, topics, IntStream.range(TopicsVocabulary.SPECIALS, v).toArray(), TopicsVocabulary.PAD);
  }

  @Override
  public String summary(String study, List<RunResult> runs, Views views) {
    return TopicsSummary.format(views, study);
  }
}
