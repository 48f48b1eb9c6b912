-- varassign: the learning phases per run (first evaluation step; null = never reached), next to
-- the paper's single seed (~4.5k addition, ~5.3k first generalization, ~6k assignment, 14k-16k
-- refinement on the hard pool).
SELECT study, run_id, seed, peak_lr, weight_decay, final_step,
       addition_step, generalization_step, assignment_step, refinement_step,
       round(hard_final_accuracy, 3) AS hard_final_accuracy
FROM mechsweep.varassign_phases
ORDER BY study, seed, run_id;

-- Accuracy per pool over training steps (long format: one row per run, pool and step).
SELECT r.study, r.seed, e.eval_set AS pool, e.step, round(e.value, 3) AS accuracy
FROM mechsweep.evals e
JOIN mechsweep.runs r ON r.study = e.study AND r.run_id = e.run_id
WHERE r.task = 'varassign' AND e.metric = 'accuracy' AND e.bucket = 'all'
ORDER BY r.study, r.seed, pool, e.step;

-- The progress measures (probes) over training, averaged over the probe sets.
SELECT p.study, r.seed, p.probe, p.bucket, p.step, round(avg(p.value), 4) AS value
FROM mechsweep.probes p
JOIN mechsweep.runs r ON r.study = p.study AND r.run_id = p.run_id
WHERE r.task = 'varassign'
  AND p.probe IN ('addition_module', 'prev_token_binding', 'eq_attention_operands',
                  'eq_attention_values', 'same_mlp_cosine')
GROUP BY p.study, r.seed, p.probe, p.bucket, p.step
ORDER BY p.study, r.seed, p.probe, p.bucket, p.step;
