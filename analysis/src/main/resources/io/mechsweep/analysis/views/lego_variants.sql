-- lego: per study, model variant and evaluation set, over the variant's runs (seeds): the mean
-- final accuracy on the supervised and the unsupervised chain positions (and, of those, on the
-- positions beyond every training chain, null when the set has none), the last position whose
-- mean accuracy is above 0.6 (chance is 0.5), and at the last probed checkpoint the mean number
-- of association heads (association_score > 0.5) and local heads (locality_score > 0.5) per run,
-- measured on the same clause order as the evaluation set.
WITH per_position AS (
  SELECT study, variant, eval_set, position, supervised, beyond_training, avg(accuracy) AS accuracy,
         count(DISTINCT run_id) AS runs
  FROM ${db}lego_positions
  GROUP BY study, variant, eval_set, position, supervised, beyond_training
),
heads AS (
  SELECT p.study, lp.variant, p.probe_set AS eval_set, p.run_id,
         count(DISTINCT CASE WHEN p.probe = 'association_score' AND p.value > 0.5 THEN concat(p.layer, '.', p.head) END)
           AS association_heads,
         count(DISTINCT CASE WHEN p.probe = 'locality_score' AND p.value > 0.5 THEN concat(p.layer, '.', p.head) END)
           AS local_heads
  FROM ${db}probes p
  JOIN (SELECT study, run_id, max(step) AS step FROM ${db}probes WHERE probe = 'association_score'
        GROUP BY study, run_id) last ON last.study = p.study AND last.run_id = p.run_id AND last.step = p.step
  JOIN (SELECT DISTINCT study, run_id, variant FROM ${db}lego_positions) lp
    ON lp.study = p.study AND lp.run_id = p.run_id
  WHERE p.probe IN ('association_score', 'locality_score')
  GROUP BY p.study, lp.variant, p.probe_set, p.run_id
),
head_means AS (
  SELECT study, variant, eval_set, avg(association_heads) AS association_heads, avg(local_heads) AS local_heads
  FROM heads GROUP BY study, variant, eval_set
)
SELECT a.study, a.variant, a.eval_set, max(a.runs) AS runs,
       avg(CASE WHEN a.supervised THEN a.accuracy END) AS supervised_accuracy,
       avg(CASE WHEN NOT a.supervised THEN a.accuracy END) AS unsupervised_accuracy,
       avg(CASE WHEN a.beyond_training THEN a.accuracy END) AS beyond_training_accuracy,
       max(CASE WHEN a.accuracy > 0.6 THEN a.position END) AS last_position_above_06,
       max(h.association_heads) AS association_heads, max(h.local_heads) AS local_heads
FROM per_position a
LEFT JOIN head_means h ON h.study = a.study AND h.variant = a.variant AND h.eval_set = a.eval_set
GROUP BY a.study, a.variant, a.eval_set
