-- topics (synthetic LDA and Wikipedia): every topic probe per run and checkpoint with the run's
-- setting (uniform_attention, block_value, …; 'default' for a task with one model): attention per
-- pair bucket on held-out documents cut to 100 tokens (scaled so that uniform attention reads 1),
-- embedding inner products and cosines, the value products of E·W_V raw and centred (W_V's rows
-- for one-hot embeddings), and with bucket 'all' the norms wv_norm (‖W_V‖_F) and kq_norm
-- (‖W_Q W_Kᵀ‖_F per head). Pair buckets: same_token, same_topic, different_topic, no_topic.
WITH runs AS (
  SELECT study, run_id, seed, task, coalesce(get_json_object(config_json, '$.data_variant'), 'default') AS setting
  FROM ${db}runs WHERE task IN ('topics', 'wikipedia') AND coalesce(current_config, true)
)
SELECT p.study, r.task, r.setting, p.run_id, r.seed, p.step,
       CASE WHEN p.probe = 'frobenius_norm' THEN 'wv_norm' ELSE p.probe END AS probe,
       p.layer, p.head, p.bucket, p.value
FROM ${db}probes p
JOIN runs r ON r.study = p.study AND r.run_id = p.run_id
WHERE p.probe IN ('topic_attention', 'embedding_product', 'embedding_cosine', 'value_product',
                  'value_product_centred', 'kq_norm')
   OR (p.probe = 'frobenius_norm' AND p.tensor = 'blocks.0.attn.v')
