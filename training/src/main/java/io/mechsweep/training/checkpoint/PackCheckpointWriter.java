package io.mechsweep.training.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mechsweep.training.PackMember;
import io.mechsweep.training.model.ParameterSet;
import io.mechsweep.training.optim.AdamW;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each member's checkpoint, cut out of the stacked pack: its parameters, its AdamW state
 * under the names AdamW gives it, its curve and evaluations. The loop decides when.
 */
public final class PackCheckpointWriter {
  private final RunStore store;
  private final Map<String, Object> configForCheckpoints;

  /** @param configForCheckpoints the resolved run configs, recorded in each checkpoint by run id */
  public PackCheckpointWriter(RunStore store, Map<String, Object> configForCheckpoints) {
    this.store = store;
    this.configForCheckpoints = configForCheckpoints;
  }

  /** Each member's checkpoint at {@code step}, from the pack's stacked parameters and AdamW moments. */
  public void save(ParameterSet params, AdamW adam, List<PackMember> members, int step) throws IOException {
    try (NDManager views = params.asMap().values().iterator().next().getManager().newSubManager()) {
      ParameterSet state = new ParameterSet(adam.state(views));
      for (int k = 0; k < members.size(); k++) {
        PackMember member = members.get(k);
        if (member.failure() != null || (member.stopping().stopped() && member.stopping().stoppedAt() != step)) {
          continue; // a member that stopped early keeps its stop step as its last checkpoint
        }
        try (NDManager host = NDManager.newBaseManager(Device.cpu())) {
          NDList p = params.member(k, host);
          NDList optimizer = state.member(k, host);
          Map<String, Object> config = new HashMap<>();
          Object runConfig = configForCheckpoints.get(member.runId());
          if (runConfig != null) {
            config.put("run", runConfig);
          }
          store.save(
              new Checkpoint(member.runId(), step, adam.step(), Map.of(),
                  List.copyOf(member.metrics()), List.copyOf(member.evals()), config, member.extendedFrom()),
              p, optimizer);
        }
      }
    }
  }
}
