-- lego: the per-position curve of every variant, one row per (study, variant, eval set, chain
-- position): mean final accuracy over seeds, its spread, and whether the position was in the loss.
SELECT study, variant, eval_set, position, supervised,
       round(avg(accuracy), 3) AS accuracy, round(min(accuracy), 3) AS min_over_seeds,
       round(max(accuracy), 3) AS max_over_seeds, count(*) AS runs
FROM mechsweep.lego_positions
GROUP BY study, variant, eval_set, position, supervised
ORDER BY study, eval_set, variant, position;
