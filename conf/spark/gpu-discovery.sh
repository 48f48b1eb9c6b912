#!/usr/bin/env bash
# Spark's GPU discovery script: prints the GPUs of this machine as Spark's resource JSON,
# {"name":"gpu","addresses":["0","1",...]}, from nvidia-smi. Named by
# spark.worker.resource.gpu.discoveryScript (standalone) or
# spark.executor.resource.gpu.discoveryScript (YARN, Kubernetes): see conf/spark/gpu.conf.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null; then
  echo "gpu-discovery: nvidia-smi not found: this machine has no NVIDIA driver" >&2
  exit 1
fi
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed 's/ //g; s/.*/"&"/' | paste -sd, -)
[ -n "$addresses" ] || { echo "gpu-discovery: nvidia-smi lists no GPU" >&2; exit 1; }
echo "{\"name\":\"gpu\",\"addresses\":[$addresses]}"
