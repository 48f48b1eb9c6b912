-- The phase diagram: solution type of the unseen pair (4,3) per depth × γ (and weight decay),
-- best learning rate per mapping, accuracies averaged over seeds; no_fit cells marked.
SELECT study, depth, gamma, weight_decay, solution_type, no_fit,
       round(seen_accuracy, 3) AS seen, round(inferential_accuracy, 3) AS inferential,
       round(symmetric_accuracy, 3) AS symmetric, run_solution_types
FROM mechsweep.anchor_phase_diagram
ORDER BY study, weight_decay, depth, gamma;
