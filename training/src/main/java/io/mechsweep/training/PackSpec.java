package io.mechsweep.training;

import io.mechsweep.training.mimic.MimicStage;
import io.mechsweep.training.model.ModelConfig;
import java.io.Serializable;
import java.util.List;

/**
 * K ≥ 1 runs of one model shape and training schedule, trained together as one model.
 *
 * @param mimic the attention-mimicking pre-stage every member goes through first, or null
 */
public record PackSpec(String packId, ModelConfig model, TrainConfig train, MimicStage mimic, List<MemberSpec> members)
    implements Serializable {

  public PackSpec {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one member");
    }
  }

  public PackSpec(String packId, ModelConfig model, TrainConfig train, List<MemberSpec> members) {
    this(packId, model, train, null, members);
  }

  public int size() {
    return members.size();
  }
}
