#!/usr/bin/python3
"""PyTorch reference of mechsweep's anchor model and training step.

Two modes:
  parity DIR  -- load init.npz, batches.npz, eval.npz and config.json written by mechsweep's
                 parity test, train with torch.optim.AdamW, write losses.json.
  bench       -- time training steps of the quickstart model (the benchmark baseline).

The model mirrors training/src/main/java/io/mechsweep/training/model/PackedTransformer.java
for one pack member: weights stored as (d_in, d_out), post-LayerNorm, single or multi-head
causal attention with a finite mask, the last block computed at the last position only.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

MASKED = -1e9
LN_EPS = 1e-5


def layout(c):
    """(name, rows, cols, fan_in) in mechsweep's order; fan_in 0 = LayerNorm or bias."""
    d, v, t, w = c["d_model"], c["vocab"], c["seq_len"], c["heads"] * c["d_k"]
    out = [("embed.tok", v, d, d), ("embed.pos", t, d, d)]
    for l in range(c["depth"]):
        b = f"blocks.{l}."
        out += [(b + "attn.q", d, w, d), (b + "attn.k", d, w, d), (b + "attn.v", d, w, d),
                (b + "attn.o", w, d, w), (b + "ln_attn.g", 1, d, 0), (b + "ln_attn.b", 1, d, 0),
                (b + "mlp.w1", d, c["d_ff"], d), (b + "mlp.w2", c["d_ff"], d, c["d_ff"]),
                (b + "ln_mlp.g", 1, d, 0), (b + "ln_mlp.b", 1, d, 0)]
    out += [("unembed.w", d, v, d), ("unembed.b", 1, v, 0)]
    return out


def gamma_init(c, gamma, generator):
    params = {}
    for name, rows, cols, fan_in in layout(c):
        if fan_in:
            p = torch.randn(rows, cols, generator=generator) * fan_in ** (-gamma)
        elif name.endswith(".g"):
            p = torch.ones(rows, cols)
        else:
            p = torch.zeros(rows, cols)
        params[name] = p.requires_grad_()
    return params


def layer_norm(x, p, name):
    return F.layer_norm(x, x.shape[-1:], p[name + ".g"][0], p[name + ".b"][0], LN_EPS)


def forward(p, c, tokens):
    """tokens (B, T) int64 -> logits at the last position (B, V)."""
    b, t = tokens.shape
    h, dk = c["heads"], c["d_k"]
    x = p["embed.tok"][tokens] + p["embed.pos"]  # (B,T,d)
    causal = torch.triu(torch.full((t, t), MASKED), diagonal=1)
    for l in range(c["depth"]):
        pre = f"blocks.{l}."
        last = l == c["depth"] - 1
        q_in = x[:, -1:, :] if last else x
        tq = q_in.shape[1]
        q = (q_in @ p[pre + "attn.q"]).view(b, tq, h, dk).transpose(1, 2)
        k = (x @ p[pre + "attn.k"]).view(b, t, h, dk).transpose(1, 2)
        v = (x @ p[pre + "attn.v"]).view(b, t, h, dk).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dk)
        if tq > 1:
            scores = scores + causal
        mixed = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, tq, h * dk)
        x = layer_norm(q_in + mixed @ p[pre + "attn.o"], p, pre + "ln_attn")
        hidden = torch.relu(x @ p[pre + "mlp.w1"]) @ p[pre + "mlp.w2"]
        x = layer_norm(x + hidden, p, pre + "ln_mlp")
    return x[:, -1, :] @ p["unembed.w"] + p["unembed.b"][0]


def lr_at(step, c):
    warm, total, start, low, peak = c["warmup_steps"], c["steps"], c["start_lr"], c["min_lr"], c["peak_lr"]
    if step < warm:
        return start + (peak - start) * step / warm
    decay = total - warm
    if decay == 0:
        return peak
    progress = min(1.0, (step - warm) / decay)
    return low + 0.5 * (peak - low) * (1 + math.cos(math.pi * progress))


def train_step(p, c, opt, tokens, targets, step):
    for group in opt.param_groups:
        group["lr"] = lr_at(step, c)
    loss = F.cross_entropy(forward(p, c, tokens), targets)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(list(p.values()), c["clip_norm"])
    opt.step()
    return loss.item()


def optimizer(p, c):
    return torch.optim.AdamW(list(p.values()), lr=c["peak_lr"], betas=(c["beta1"], c["beta2"]),
                             eps=c["eps"], weight_decay=c["weight_decay"])


def parity(directory):
    c = json.load(open(os.path.join(directory, "config.json")))
    torch.set_num_threads(c.get("threads", 1))
    init = np.load(os.path.join(directory, "init.npz"))
    p = {name: torch.tensor(init[name][0]).requires_grad_() for name, *_ in layout(c)}
    batches = np.load(os.path.join(directory, "batches.npz"))
    tokens, targets = torch.tensor(batches["tokens"]), torch.tensor(batches["targets"])
    opt = optimizer(p, c)
    losses = [train_step(p, c, opt, tokens[s], targets[s], s) for s in range(c["steps"])]
    accuracies = {}
    evals = np.load(os.path.join(directory, "eval.npz"))
    with torch.no_grad():
        for name in c["eval_sets"]:
            predicted = forward(p, c, torch.tensor(evals[name + ".tokens"])).argmax(-1).numpy()
            accuracies[name] = float((predicted == evals[name + ".targets"]).mean())
    json.dump({"losses": losses, "accuracies": accuracies, "torch": torch.__version__},
              open(os.path.join(directory, "losses.json"), "w"))


def bench(a):
    torch.set_num_threads(a.threads)
    c = dict(vocab=201, seq_len=9, d_model=a.d_model, d_ff=3 * a.d_model, d_k=a.d_model // 2,
             heads=1, depth=a.depth, steps=a.steps + a.warmup, warmup_steps=0, start_lr=1e-3,
             min_lr=1e-3, peak_lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01,
             clip_norm=1.0)
    g = torch.Generator().manual_seed(0)
    p = gamma_init(c, 0.5, g)
    opt = optimizer(p, c)
    tokens = torch.randint(20, 100, (a.batch, 9), generator=g)
    targets = torch.randint(4, 110, (a.batch,), generator=g)
    for s in range(a.warmup):
        train_step(p, c, opt, tokens, targets, s)
    start = time.perf_counter()
    for s in range(a.steps):
        train_step(p, c, opt, tokens, targets, s)
    ms = 1000 * (time.perf_counter() - start) / a.steps
    print(json.dumps({"ms_per_step": ms, "threads": a.threads, "torch": torch.__version__,
                      "blas": loaded_blas()}))


def loaded_blas():
    """Which BLAS the process really mapped (Debian's torch goes through alternatives)."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1].rsplit("/", 1)[-1] for line in maps if "blas" in line.lower()}
    return ",".join(sorted(libs)) or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    par = sub.add_parser("parity")
    par.add_argument("dir")
    b = sub.add_parser("bench")
    b.add_argument("--d-model", type=int, default=128)
    b.add_argument("--depth", type=int, default=2)
    b.add_argument("--batch", type=int, default=512)
    b.add_argument("--steps", type=int, default=50)
    b.add_argument("--warmup", type=int, default=5)
    b.add_argument("--threads", type=int, default=1)
    a = parser.parse_args()
    parity(a.dir) if a.mode == "parity" else bench(a)


if __name__ == "__main__":
    sys.exit(main())
