-- topics: per study and setting, over the setting's runs (seeds): the lowest dev cross-entropy of
-- the masked LM and the step of it, the last step trained (early stopping ends runs early), and at
-- each run's last probed checkpoint the attention per bucket (layer 0, mean over heads; 1 =
-- uniform), the centred value products per bucket, the embedding cosines and the two norms.
WITH ce AS (
  SELECT study, run_id, min(value) AS best_dev_ce, min_by(step, value) AS best_step, max(step) AS final_step
  FROM ${db}evals WHERE metric = 'cross_entropy' AND eval_set = 'dev'
  GROUP BY study, run_id
),
last AS (
  SELECT study, run_id, max(step) AS step FROM ${db}topics_buckets GROUP BY study, run_id
),
at_last AS (
  SELECT b.study, b.setting, b.run_id,
         avg(CASE WHEN b.probe = 'topic_attention' AND b.layer = 0 AND b.bucket = 'same_token' THEN b.value END) AS attention_same_token,
         avg(CASE WHEN b.probe = 'topic_attention' AND b.layer = 0 AND b.bucket = 'same_topic' THEN b.value END) AS attention_same_topic,
         avg(CASE WHEN b.probe = 'topic_attention' AND b.layer = 0 AND b.bucket = 'different_topic' THEN b.value END) AS attention_different_topic,
         avg(CASE WHEN b.probe = 'value_product_centred' AND b.bucket = 'same_token' THEN b.value END) AS value_same_token,
         avg(CASE WHEN b.probe = 'value_product_centred' AND b.bucket = 'same_topic' THEN b.value END) AS value_same_topic,
         avg(CASE WHEN b.probe = 'value_product_centred' AND b.bucket = 'different_topic' THEN b.value END) AS value_different_topic,
         avg(CASE WHEN b.probe = 'embedding_cosine' AND b.bucket = 'same_topic' THEN b.value END) AS embedding_cosine_same_topic,
         avg(CASE WHEN b.probe = 'embedding_cosine' AND b.bucket = 'different_topic' THEN b.value END) AS embedding_cosine_different_topic,
         avg(CASE WHEN b.probe = 'wv_norm' AND b.layer = 0 THEN b.value END) AS wv_norm,
         avg(CASE WHEN b.probe = 'kq_norm' AND b.layer = 0 THEN b.value END) AS kq_norm
  FROM ${db}topics_buckets b
  JOIN last l ON l.study = b.study AND l.run_id = b.run_id AND l.step = b.step
  GROUP BY b.study, b.setting, b.run_id
)
SELECT a.study, a.setting, count(*) AS runs, avg(c.best_dev_ce) AS best_dev_ce, avg(c.best_step) AS best_step,
       max(c.final_step) AS final_step,
       avg(a.attention_same_token) AS attention_same_token, avg(a.attention_same_topic) AS attention_same_topic,
       avg(a.attention_different_topic) AS attention_different_topic,
       avg(a.value_same_token) AS value_same_token, avg(a.value_same_topic) AS value_same_topic,
       avg(a.value_different_topic) AS value_different_topic,
       avg(a.embedding_cosine_same_topic) AS embedding_cosine_same_topic,
       avg(a.embedding_cosine_different_topic) AS embedding_cosine_different_topic,
       avg(a.wv_norm) AS wv_norm, avg(a.kq_norm) AS kq_norm
FROM at_last a
LEFT JOIN ce c ON c.study = a.study AND c.run_id = a.run_id
GROUP BY a.study, a.setting
