-- The phase diagram: one cell per (study, depth, γ, weight decay).
-- Per learning rate, accuracies are averaged over seeds; the cell then keeps, per mapping, the
-- best learning rate among those that fit the seen pairs (TASKS.md: "try several peak learning
-- rates, keep the best per mapping, average the seeds"). A cell where no learning rate fits is
-- no_fit; its seen_accuracy is the best over learning rates. Only anchor runs the study's latest
-- config selects (runs.current_config; null in rows from before that column): an earlier grid's
-- runs under the same study name are history, not cells.
WITH finals AS (
  SELECT r.study, r.depth, r.gamma, r.peak_lr, r.weight_decay, r.seed,
         s.solution_type, s.seen_accuracy, s.inferential_accuracy, s.symmetric_accuracy,
         s.fit_threshold, s.mapping_threshold
  FROM ${db}runs r
  LEFT JOIN ${db}solutions s ON s.study = r.study AND s.run_id = r.run_id AND s.is_final
  WHERE r.task = 'anchor' AND coalesce(r.current_config, true)
),
per_lr AS (
  SELECT study, depth, gamma, weight_decay, peak_lr,
         count(*) AS runs,
         count(solution_type) AS finished_runs,
         avg(seen_accuracy) AS seen,
         avg(inferential_accuracy) AS inferential,
         avg(symmetric_accuracy) AS symmetric,
         max(fit_threshold) AS fit_threshold,
         max(mapping_threshold) AS mapping_threshold,
         collect_list(coalesce(solution_type, 'failed')) AS types
  FROM finals
  GROUP BY study, depth, gamma, weight_decay, peak_lr
),
cells AS (
  SELECT study, depth, gamma, weight_decay,
         sum(runs) AS runs,
         sum(finished_runs) AS finished_runs,
         count(*) AS learning_rates,
         max(seen) AS best_seen,
         max(CASE WHEN seen >= fit_threshold THEN inferential END) AS inferential,
         max(CASE WHEN seen >= fit_threshold THEN symmetric END) AS symmetric,
         max_by(peak_lr, CASE WHEN seen >= fit_threshold THEN inferential END) AS lr_inferential,
         max_by(peak_lr, CASE WHEN seen >= fit_threshold THEN symmetric END) AS lr_symmetric,
         max(fit_threshold) AS fit_threshold,
         max(mapping_threshold) AS mapping_threshold,
         array_join(sort_array(flatten(collect_list(types))), ', ') AS run_solution_types
  FROM per_lr
  GROUP BY study, depth, gamma, weight_decay
)
SELECT study, depth, gamma, weight_decay,
       CASE WHEN finished_runs = 0 THEN 'failed'
            WHEN inferential IS NULL THEN 'no_fit'
            WHEN inferential >= mapping_threshold THEN 'inferential'
            WHEN symmetric >= mapping_threshold THEN 'symmetric'
            ELSE 'other' END AS solution_type,
       finished_runs > 0 AND inferential IS NULL AS no_fit,
       best_seen AS seen_accuracy,
       inferential AS inferential_accuracy,
       symmetric AS symmetric_accuracy,
       lr_inferential AS best_lr_inferential,
       lr_symmetric AS best_lr_symmetric,
       learning_rates, runs, finished_runs, run_solution_types,
       fit_threshold, mapping_threshold
FROM cells
