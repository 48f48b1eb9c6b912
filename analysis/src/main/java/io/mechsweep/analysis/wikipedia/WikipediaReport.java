package io.mechsweep.analysis.wikipedia;

import io.mechsweep.analysis.report.ReportPage;
import io.mechsweep.analysis.report.TaskReport;
import io.mechsweep.analysis.topics.TopicsReport;
import java.io.IOException;

/** The Wikipedia study's report: the corpus job's counts, the LDA topics, then the topics sections for the masked LM. */
public final class WikipediaReport implements TaskReport {
  @Override
  public void write(ReportPage page) throws IOException {
    String filter = " WHERE study = '%s' AND dataset_id IN (SELECT dataset_id FROM ${db}runs WHERE study = '%s'"
        + " AND current_config)";
    page.heading("Corpus");
    page.paragraph("The dump's pages by what the corpus job did with them (table " + WikipediaTables.PAGES.name()
        + "); the kept articles are in " + WikipediaTables.CORPUS.name() + ".");
    page.table(page.frame("SELECT status, pages FROM ${db}" + WikipediaTables.PAGES.name() + filter + " ORDER BY status"));
    page.heading("LDA topics");
    page.paragraph("MLlib LDA on TF-IDF over the vocabulary (" + WikipediaTables.VOCABULARY.name() + "); each topic's"
        + " heaviest words (" + WikipediaTables.TOPICS.name() + "). Words are assigned to topics by the rule in "
        + WikipediaTables.WORD_TOPICS.name() + ", and the probes below bucket word pairs by that assignment.");
    page.table(page.frame("SELECT topic, concat_ws(' ', slice(transform(array_sort(collect_list(struct(-weight AS w,"
        + " word AS word))), x -> x.word), 1, " + WikipediaSummary.TOP_WORDS + ")) AS top_words FROM ${db}"
        + WikipediaTables.TOPICS.name() + filter + " GROUP BY topic ORDER BY topic"));
    new TopicsReport().write(page);
  }

  @Override
  public String exampleQueries(String root, String study) {
    return "bin/mechsweep sql --root " + root + " \"select * from mechsweep." + WikipediaTables.WORD_TOPICS.name()
        + " where study = '" + study + "' and topic >= 0 order by topic, share desc\"\n"
        + new TopicsReport().exampleQueries(root, study);
  }
}
