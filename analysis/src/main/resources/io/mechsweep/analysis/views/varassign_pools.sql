-- varassign: per run and evaluation pool, the accuracy at the run's last evaluation and the first
-- evaluation step at which the pool's accuracy reached 0.5 and 0.9 (null: never). Pools are the
-- eval_set names: train_* (the training distribution per example type) and the held-out pools.
-- Only the runs the study's latest config selects (runs.current_config): a run extended to more
-- steps replaces the shorter one it continued.
WITH acc AS (
  SELECT e.study, e.run_id, e.eval_set AS pool, e.step, e.value AS accuracy
  FROM ${db}evals e
  JOIN ${db}runs r ON r.study = e.study AND r.run_id = e.run_id
  WHERE r.task = 'varassign' AND coalesce(r.current_config, true)
    AND e.metric = 'accuracy' AND e.bucket = 'all'
),
last AS (
  SELECT study, run_id, max(step) AS final_step FROM acc GROUP BY study, run_id
)
SELECT a.study, a.run_id, r.depth, r.gamma, r.init_std, r.peak_lr, r.weight_decay, r.seed, r.status,
       a.pool,
       max(CASE WHEN a.step = l.final_step THEN a.accuracy END) AS final_accuracy,
       min(CASE WHEN a.accuracy >= 0.5 THEN a.step END) AS first_step_050,
       min(CASE WHEN a.accuracy >= 0.9 THEN a.step END) AS first_step_090,
       max(l.final_step) AS final_step
FROM acc a
JOIN last l ON l.study = a.study AND l.run_id = a.run_id
JOIN ${db}runs r ON r.study = a.study AND r.run_id = a.run_id
GROUP BY a.study, a.run_id, r.depth, r.gamma, r.init_std, r.peak_lr, r.weight_decay, r.seed, r.status, a.pool
