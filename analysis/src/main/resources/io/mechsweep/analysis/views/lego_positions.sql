-- lego: per run, evaluation set and chain position (1 = the root), the accuracy at the run's last
-- evaluation, with the run's variant read from its config: tied layers, mimicking steps, the
-- checkpoint it started from, the clause order it trained on (train_order), the LEGO attention
-- module's fixed heads (fixed_heads, e.g. 0:association,local), and whether the
-- position was in the loss (supervised: positions 1..task.supervised of the dataset's spec) and
-- whether it lies beyond every training chain (beyond_training: longer than the longest of the
-- spec's trainLengths, or than chainLength when training has one length).
WITH acc AS (
  SELECT e.study, e.run_id, e.eval_set, e.step, cast(substring(e.bucket, 6) AS INT) AS position, e.value AS accuracy
  FROM ${db}evals e
  JOIN ${db}runs r ON r.study = e.study AND r.run_id = e.run_id
  WHERE r.task = 'lego' AND coalesce(r.current_config, true) AND e.metric = 'accuracy' AND e.bucket LIKE 'read%'
),
last AS (
  SELECT study, run_id, max(step) AS final_step FROM acc GROUP BY study, run_id
),
spec AS (
  SELECT DISTINCT study, dataset_id, cast(get_json_object(spec_json, '$.supervised') AS INT) AS supervised,
         coalesce(array_max(from_json(get_json_object(spec_json, '$.trainLengths'), 'array<int>')),
                  cast(get_json_object(spec_json, '$.chainLength') AS INT)) AS longest_train
  FROM ${db}datasets WHERE task = 'lego'
),
runs AS (
  SELECT r.study, r.run_id, r.dataset_id, r.depth, r.gamma, r.init_std, r.peak_lr, r.weight_decay, r.seed, r.status,
         coalesce(get_json_object(r.config_json, '$.tied_layers'), 'false') = 'true' AS tied_layers,
         coalesce(cast(get_json_object(r.config_json, '$.mimic_steps') AS INT), 0) AS mimic_steps,
         get_json_object(r.config_json, '$.init_from') AS init_from,
         get_json_object(r.config_json, '$.fixed_heads') AS fixed_heads,
         coalesce(get_json_object(r.config_json, '$.data_variant'), 'shuffled') AS train_order
  FROM ${db}runs r WHERE r.task = 'lego'
)
SELECT r.study, r.run_id, r.depth, r.gamma, r.init_std, r.peak_lr, r.weight_decay, r.seed, r.status,
       r.tied_layers, r.mimic_steps, r.init_from, r.train_order, r.fixed_heads,
       concat(CASE WHEN r.init_from IS NOT NULL THEN 'pretrained' WHEN r.mimic_steps > 0 THEN 'mimicked'
                   ELSE 'random' END, CASE WHEN r.tied_layers THEN ' tied' ELSE ' untied' END,
              CASE WHEN r.fixed_heads IS NOT NULL THEN concat(', LEGO attention ', r.fixed_heads) ELSE '' END,
              CASE WHEN r.train_order <> 'shuffled' THEN concat(', trained ', r.train_order) ELSE '' END) AS variant,
       a.eval_set, a.position, a.position <= s.supervised AS supervised,
       a.position > s.longest_train AS beyond_training, a.accuracy, a.step AS final_step
FROM acc a
JOIN last l ON l.study = a.study AND l.run_id = a.run_id AND l.final_step = a.step
JOIN runs r ON r.study = a.study AND r.run_id = a.run_id
LEFT JOIN spec s ON s.study = r.study AND s.dataset_id = r.dataset_id
