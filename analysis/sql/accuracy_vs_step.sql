-- Accuracy over training steps: seen pairs with held-out keys, and the unseen pair (4,3)
-- answered inferentially (x-10) or symmetrically (x-6), per run, next to the training loss.
SELECT s.study, r.depth, r.gamma, r.seed, s.step,
       round(s.seen_accuracy, 3) AS seen, round(s.inferential_accuracy, 3) AS inferential,
       round(s.symmetric_accuracy, 3) AS symmetric, round(m.loss, 4) AS loss, s.solution_type
FROM mechsweep.solutions s
JOIN mechsweep.runs r ON r.study = s.study AND r.run_id = s.run_id
LEFT JOIN mechsweep.metrics m ON m.study = s.study AND m.run_id = s.run_id AND m.step = s.step
  AND coalesce(m.stage, 'train') = 'train'
ORDER BY s.study, r.depth, r.gamma, r.seed, s.step;
