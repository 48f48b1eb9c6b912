-- varassign: the learning phases of each run, read from its evaluation curves (first evaluation
-- step at which a condition held; null: it never did). The paper (single seed) reports about
-- 4.5k steps for modular addition, a first generalization spike near 5.3k-5.4k, the
-- variable-assignment structure near 6k and refinement on the hard pool at 14k-16k.
--   addition_step        train_0var (numbers only, training pairs) reached 0.9
--   generalization_step  the first held-out variable pool reached 0.5
--   assignment_step      every training-distribution pool (train_*) reached 0.9
--   refinement_step      both_restricted_2var (the "hard" pool) reached 0.9
SELECT study, run_id, depth, gamma, init_std, peak_lr, weight_decay, seed, status,
       max(final_step) AS final_step,
       min(CASE WHEN pool = 'train_0var' THEN first_step_090 END) AS addition_step,
       min(CASE WHEN pool NOT LIKE 'train_%' AND pool <> 'unseen_0var' THEN first_step_050 END)
         AS generalization_step,
       CASE WHEN count(CASE WHEN pool LIKE 'train_%' THEN 1 END)
                 = count(CASE WHEN pool LIKE 'train_%' THEN first_step_090 END)
            THEN max(CASE WHEN pool LIKE 'train_%' THEN first_step_090 END) END AS assignment_step,
       min(CASE WHEN pool = 'both_restricted_2var' THEN first_step_090 END) AS refinement_step,
       min(CASE WHEN pool = 'both_restricted_2var' THEN final_accuracy END) AS hard_final_accuracy,
       min(CASE WHEN pool LIKE 'train_%' THEN final_accuracy END) AS min_train_final_accuracy,
       min(CASE WHEN pool NOT LIKE 'train_%' THEN final_accuracy END) AS min_heldout_final_accuracy
FROM ${db}varassign_pools
GROUP BY study, run_id, depth, gamma, init_std, peak_lr, weight_decay, seed, status
