-- Complexity of the first layer's W_Q against γ at each run's last probed checkpoint:
-- effective rank falls and condensation rises as γ grows (small initialization).
SELECT r.study, r.depth, r.gamma, count(DISTINCT r.run_id) AS runs,
       round(avg(CASE WHEN p.probe = 'effective_rank' THEN p.value END), 2) AS effective_rank,
       round(avg(CASE WHEN p.probe = 'stable_rank' THEN p.value END), 2) AS stable_rank,
       round(avg(CASE WHEN p.probe = 'condensed_fraction' THEN p.value END), 3) AS condensed_fraction,
       round(avg(CASE WHEN p.probe = 'clusters' THEN p.value END), 1) AS clusters
FROM mechsweep.probes p
JOIN mechsweep.anchor_run_summary r ON r.study = p.study AND r.run_id = p.run_id AND p.step = r.probe_step
WHERE p.tensor = 'blocks.0.attn.q' AND p.probe IN ('effective_rank', 'stable_rank', 'condensed_fraction', 'clusters')
GROUP BY r.study, r.depth, r.gamma
ORDER BY r.study, r.depth, r.gamma;

-- The same probe over training: effective rank of W_Q (layer 1) at every checkpoint.
SELECT r.study, r.gamma, r.seed, p.step, round(p.value, 2) AS effective_rank
FROM mechsweep.probes p
JOIN mechsweep.runs r ON r.study = p.study AND r.run_id = p.run_id
WHERE p.probe = 'effective_rank' AND p.tensor = 'blocks.0.attn.q'
ORDER BY r.study, r.gamma, r.seed, p.step;
