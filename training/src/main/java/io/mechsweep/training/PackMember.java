package io.mechsweep.training;

import io.mechsweep.datagen.TrainSource;
import io.mechsweep.training.eval.EarlyStopping;
import io.mechsweep.training.eval.EvalRow;
import io.mechsweep.training.eval.MetricRow;
import java.util.ArrayList;
import java.util.List;

/** One run of a pack: its batches and progress, kept on the host. */
final class PackMember {
  final MemberSpec spec;
  final TrainSource.BatchStream batches;
  final List<MetricRow> metrics = new ArrayList<>();
  final List<EvalRow> evals = new ArrayList<>();
  String failure;
  double lastLoss = Double.NaN;
  EarlyStopping stopping;
  String extendedFrom; // run_id@step of the shorter run it continues, from its resumed checkpoint

  PackMember(MemberSpec spec, TrainSource.BatchStream batches, int patience) {
    this.spec = spec;
    this.batches = batches;
    this.stopping = new EarlyStopping(patience);
  }

  /** Still updated: neither failed nor stopped early (a stopped member keeps its parameters). */
  boolean training() {
    return failure == null && !stopping.stopped();
  }

  /** The step its result ends at: where it stopped early, else where the pack stopped. */
  int finalStep(int packStep) {
    return stopping.stopped() ? stopping.stoppedAt() : packStep;
  }
}
