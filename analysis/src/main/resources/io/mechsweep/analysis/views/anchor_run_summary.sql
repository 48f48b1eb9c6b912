-- One row per run: its grid position and status, its final solution, and the headline probes
-- at its last probed checkpoint. Column names count layers from 1 like the paper
-- (l1 = blocks.0); the probes table's layer column counts from 0. Anchor runs of the study's
-- latest config only (runs.current_config).
WITH last_probe AS (
  SELECT study, run_id, max(step) AS probe_step
  FROM ${db}probes
  GROUP BY study, run_id
),
p AS (
  SELECT pr.study, pr.run_id, l.probe_step,
    max(CASE WHEN probe = 'effective_rank' AND tensor = 'blocks.0.attn.q' THEN value END) AS l1_wq_effective_rank,
    max(CASE WHEN probe = 'stable_rank' AND tensor = 'blocks.0.attn.q' THEN value END) AS l1_wq_stable_rank,
    max(CASE WHEN probe = 'condensed_fraction' AND tensor = 'blocks.0.attn.q' THEN value END) AS l1_wq_condensed_fraction,
    max(CASE WHEN probe = 'clusters' AND tensor = 'blocks.0.attn.q' THEN value END) AS l1_wq_clusters,
    max(CASE WHEN probe = 'embed_cov_eigenvalue' AND bucket = '0' THEN value END)
      / sum(CASE WHEN probe = 'embed_cov_eigenvalue' THEN value END) AS embed_cov_top_share,
    max(CASE WHEN probe = 'attn_flow' AND probe_set = 'unseen_pair' AND layer = 0 AND head = 0
             AND bucket = 'a2->a1' THEN value END) AS l1_unseen_a2_to_a1,
    max(CASE WHEN probe = 'attn_flow' AND probe_set = 'unseen_pair' AND layer = 0 AND head = 0
             AND bucket = 'a1->key' THEN value END) AS l1_unseen_a1_to_key,
    max(CASE WHEN probe = 'attn_flow' AND probe_set = 'unseen_pair' AND layer = 0 AND head = 0
             AND bucket = 'a2->key' THEN value END) AS l1_unseen_a2_to_key,
    max(CASE WHEN probe = 'last_attn_out_cos' AND probe_set = 'seen_heldout_keys' AND layer = 1
             AND bucket = 'same_target' THEN value END) AS l2_seen_same_target_cos,
    max(CASE WHEN probe = 'last_attn_out_cos' AND probe_set = 'seen_heldout_keys' AND layer = 1
             AND bucket = 'different_target' THEN value END) AS l2_seen_different_target_cos,
    max(CASE WHEN probe = 'last_attn_out_cos' AND probe_set = 'unseen_pair' AND layer = 1
             AND bucket = 'seen_same_inferential_target' THEN value END) AS l2_unseen_vs_inferential_cos,
    max(CASE WHEN probe = 'last_attn_out_cos' AND probe_set = 'unseen_pair' AND layer = 1
             AND bucket = 'seen_same_symmetric_target' THEN value END) AS l2_unseen_vs_symmetric_cos,
    max(CASE WHEN probe = 'anchor_embedding_cos' AND bucket = '3~4' THEN value END) AS anchor_3_4_embedding_cos
  FROM ${db}probes pr
  JOIN last_probe l ON pr.study = l.study AND pr.run_id = l.run_id AND pr.step = l.probe_step
  GROUP BY pr.study, pr.run_id, l.probe_step
),
-- The unseen pair by key side at each evaluation: training-split keys (the public code's 43_xel)
-- and held-out keys; the solution type reads both together (eval set unseen_pair).
k AS (
  SELECT study, run_id, step,
    max(CASE WHEN eval_set = 'unseen_pair_train_keys' AND metric = 'accuracy' THEN value END)
      AS inferential_accuracy_train_keys,
    max(CASE WHEN eval_set = 'unseen_pair_train_keys' AND metric = 'symmetric_accuracy' THEN value END)
      AS symmetric_accuracy_train_keys,
    max(CASE WHEN eval_set = 'unseen_pair_heldout_keys' AND metric = 'accuracy' THEN value END)
      AS inferential_accuracy_heldout_keys,
    max(CASE WHEN eval_set = 'unseen_pair_heldout_keys' AND metric = 'symmetric_accuracy' THEN value END)
      AS symmetric_accuracy_heldout_keys
  FROM ${db}evals
  WHERE bucket = 'all' AND eval_set IN ('unseen_pair_train_keys', 'unseen_pair_heldout_keys')
  GROUP BY study, run_id, step
)
SELECT r.study, r.run_id, r.depth, r.gamma, r.peak_lr, r.weight_decay, r.seed,
       r.status, r.failure_reason, r.final_step, r.final_loss,
       s.solution_type, s.seen_accuracy, s.inferential_accuracy, s.symmetric_accuracy,
       p.probe_step, p.l1_wq_effective_rank, p.l1_wq_stable_rank, p.l1_wq_condensed_fraction,
       p.l1_wq_clusters, p.embed_cov_top_share, p.l1_unseen_a2_to_a1, p.l1_unseen_a1_to_key,
       p.l1_unseen_a2_to_key, p.l2_seen_same_target_cos, p.l2_seen_different_target_cos,
       p.l2_unseen_vs_inferential_cos, p.l2_unseen_vs_symmetric_cos, p.anchor_3_4_embedding_cos,
       k.inferential_accuracy_train_keys, k.symmetric_accuracy_train_keys,
       k.inferential_accuracy_heldout_keys, k.symmetric_accuracy_heldout_keys
FROM ${db}runs r
LEFT JOIN ${db}solutions s ON s.study = r.study AND s.run_id = r.run_id AND s.is_final
LEFT JOIN p ON p.study = r.study AND p.run_id = r.run_id
LEFT JOIN k ON k.study = r.study AND k.run_id = r.run_id AND k.step = s.step
WHERE r.task = 'anchor' AND coalesce(r.current_config, true)
