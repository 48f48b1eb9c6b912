#!/usr/bin/python3
"""PyTorch reference of mechsweep's transformer and training step.

Three modes:
  parity DIR  -- read config.json, init.npz, batches.npz and eval.npz written by mechsweep
                 (ReferenceInputs: the parity test, or `train-packs --reference-inputs`), train
                 with torch.optim.AdamW, write result.json (loss, gradient norm and lr of every
                 step, final accuracies) and final.npz (the trained parameters). --device cuda
                 trains on the GPU with TF32 off; --float64 trains in float64 instead
                 (result-float64.json, final-float64.npz), the yardstick of compare.
  compare RESULT DIR
              -- mechsweep's result file of that run (results/<run>.json, e.g. from train-packs
                 on a GPU) against DIR/result.json: the worst relative loss difference over the
                 steps; exit 1 above --bound, 3 with a curve missing. With DIR/result-float64.json, also each float32
                 curve's distance from the float64 one.
  bench       -- time training steps of the model a --config json describes (the baseline of
                 `mechsweep bench`, which writes the config: TrainingBenchmark.referenceConfig);
                 --packs K trains K members at once (torch.func.vmap over the stacked weights,
                 one AdamW over them, clipping per member), --device cuda on the GPU.

One model for one pack member, with every variant a ModelConfig chooses
(training/src/main/java/io/mechsweep/training/model/ModelConfig.java):
  norm                POST: x = LN(x + f(x));  PRE: x = x + f(LN(x)), then a final LN;  NONE
  causal              decoder (finite -1e9 above the diagonal) or bidirectional encoder
  layers_without_mlp  blocks whose MLP is removed
  output_bias         whether the unembedding has a bias
  frozen              parameters with requires_grad=False, outside the optimizer and the
                      gradient-clipping norm
  tied_layers         ALBERT-style tying: every layer uses block 0's parameters
  residual            whether attention and MLP outputs add to the stream (False: they replace it)
  fixed_heads         the LEGO attention module: {layer: [ASSOCIATION | LOCAL, ...]}, the patterns
                      of the layer's last heads, which have no queries or keys
Weights are stored as (d_in, d_out); attention and MLP have no biases. Each row of a batch is
read at one or more positions; the loss is the mean cross-entropy over the reads whose target is
>= 0 and whose loss mask is 1. A key mask per token (1 = may be attended to) hides padding and
masked-LM targets from attention; the initial weights (fixed ones included) come from init.npz.
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


# ---------------------------------------------------------------- model


def layout(c):
    """[(name, rows, cols, fan_in)] in mechsweep's order (ParameterLayout.java); fan_in 0 marks a
    LayerNorm gain (.g, starts at 1) or a bias (starts at 0)."""
    d, w, f = c["d_model"], c["heads"] * c["d_k"], c["d_ff"]
    pre, post = c["norm"] == "PRE", c["norm"] == "POST"

    def norm(name):
        return [(name + ".g", 1, d, 0), (name + ".b", 1, d, 0)]

    out = [("embed.tok", c["vocab"], d, d), ("embed.pos", c["seq_len"], d, d)]
    for l in range(1 if c.get("tied_layers") else c["depth"]):
        b = f"blocks.{l}."
        out += norm(b + "ln_attn") if pre else []
        qw = (c["heads"] - len(fixed_heads(c, l))) * c["d_k"]
        out += [(b + "attn.q", d, qw, d), (b + "attn.k", d, qw, d)] if qw else []
        out += [(b + "attn.v", d, w, d), (b + "attn.o", w, d, w)]
        out += norm(b + "ln_attn") if post else []
        if l not in c["layers_without_mlp"]:
            out += norm(b + "ln_mlp") if pre else []
            out += [(b + "mlp.w1", d, f, d), (b + "mlp.w2", f, d, f)]
            out += norm(b + "ln_mlp") if post else []
    out += norm("ln_final") if pre else []
    out += [("unembed.w", d, c["classes"], d)]
    out += [("unembed.b", 1, c["classes"], 0)] if c["output_bias"] else []
    return out


def random_init(c, init, generator):
    """σ = fan_in^-γ ({"gamma": γ}) or one σ ({"std": σ}) for every matrix (torch's RNG: for the
    benchmark, not for parity)."""
    params = {}
    for name, rows, cols, fan_in in layout(c):
        if fan_in:
            sigma = init["std"] if "std" in init else fan_in ** (-init["gamma"])
            p = torch.randn(rows, cols, generator=generator) * sigma
        elif name.endswith(".g"):
            p = torch.ones(rows, cols)
        else:
            p = torch.zeros(rows, cols)
        params[name] = p.requires_grad_(name not in c["frozen"])
    return params


def layer_norm(x, p, name):
    return F.layer_norm(x, x.shape[-1:], p[name + ".g"][0], p[name + ".b"][0], LN_EPS)


def block(c, l):
    """The parameter prefix of layer l: its own block, or block 0 when layers are tied."""
    return f"blocks.{0 if c.get('tied_layers') else l}."


def fixed_heads(c, l):
    return c.get("fixed_heads", {}).get(str(l), [])


def local_band(t, device):
    """Query i on keys i-2..i+2 with weights 1, 2, 4, 2, 1, renormalized at the edges."""
    offsets = torch.arange(t, device=device).view(1, t) - torch.arange(t, device=device).view(t, 1)
    weights = torch.tensor([1.0, 2.0, 4.0, 2.0, 1.0], device=device)
    band = torch.where(offsets.abs() <= 2, weights[(offsets + 2).clamp(0, 4)], torch.zeros((), device=device))
    return band / band.sum(-1, keepdim=True)


def association(tokens):
    """(B,T) -> (B,T,T): uniform over the other positions with the same token, zero rows when none."""
    t = tokens.shape[1]
    same = (tokens.unsqueeze(2) == tokens.unsqueeze(1)).float()
    others = same * (1 - torch.eye(t, device=tokens.device))
    return others / others.sum(-1, keepdim=True).clamp(min=1)


def attention(p, c, l, q_in, kv_in, key_mask=None, tokens=None):
    """q_in (B,Tq,d) are the last Tq positions of kv_in (B,T,d) -> (B,Tq,d) after W_O.

    key_mask (B,T): 1 where a key may be attended to, 0 where not (padding, masked-LM targets).
    tokens (B,T): what the fixed association heads read."""
    b, tq, t, h, dk = q_in.shape[0], q_in.shape[1], kv_in.shape[1], c["heads"], c["d_k"]
    fixed = fixed_heads(c, l)
    pre = block(c, l) + "attn."
    v = (kv_in @ p[pre + "v"]).view(b, t, h, dk).transpose(1, 2)  # (B,H,T,dk)
    maps = [local_band(t, kv_in.device).expand(b, t, t) if f == "LOCAL" else association(tokens) for f in fixed]
    fixed_pattern = torch.stack(maps, 1)[:, :, t - tq:] if maps else None  # (B,Hf,Tq,T)
    if len(fixed) == h:
        mixed = (fixed_pattern @ v).transpose(1, 2).reshape(b, tq, h * dk)
        return mixed @ p[pre + "o"]
    h = h - len(fixed)
    q = (q_in @ p[pre + "q"]).view(b, tq, h, dk).transpose(1, 2)  # (B,Hl,Tq,dk)
    k = (kv_in @ p[pre + "k"]).view(b, t, h, dk).transpose(1, 2)  # (B,Hl,T,dk)
    scores = q @ k.transpose(-1, -2) / math.sqrt(dk)  # (B,Hl,Tq,T)
    if c["causal"]:
        at = {"device": scores.device}
        future = torch.arange(t, **at).view(1, t) > torch.arange(t - tq, t, **at).view(tq, 1)  # key after query
        scores = scores + torch.zeros(tq, t, **at).masked_fill(future, MASKED)
    if key_mask is not None:
        scores = scores + ((1 - key_mask) * MASKED).view(b, 1, 1, t)
    pattern = scores.softmax(-1)
    if fixed_pattern is not None:
        pattern = torch.cat([pattern, fixed_pattern], 1)  # the fixed heads are the layer's last
    mixed = (pattern @ v).transpose(1, 2).reshape(b, tq, c["heads"] * dk)  # (B,Tq,H·dk)
    return mixed @ p[pre + "o"]


def forward(p, c, tokens, last_only=False, key_mask=None):
    """tokens (B,T) int64 -> the final residual stream (B,T,d).

    With last_only the last block computes its queries, residual and MLP at the last position
    only and the result is (B,1,d): what mechsweep does when a task reads only there (used by
    the benchmark; the parity mode runs the plain full computation)."""
    pre_ln, post_ln = c["norm"] == "PRE", c["norm"] == "POST"
    x = p["embed.tok"][tokens] + p["embed.pos"]  # (B,T,d)
    for l in range(c["depth"]):
        b = block(c, l)
        attn_in = layer_norm(x, p, b + "ln_attn") if pre_ln else x
        q_in, residual = attn_in, x
        if last_only and l == c["depth"] - 1:
            q_in, residual = attn_in[:, -1:], x[:, -1:]
        attn_out = attention(p, c, l, q_in, attn_in, key_mask, tokens)
        x = residual + attn_out if c.get("residual", True) else attn_out
        x = layer_norm(x, p, b + "ln_attn") if post_ln else x
        if l not in c["layers_without_mlp"]:
            mlp_in = layer_norm(x, p, b + "ln_mlp") if pre_ln else x
            mlp_out = torch.relu(mlp_in @ p[b + "mlp.w1"]) @ p[b + "mlp.w2"]
            x = x + mlp_out if c.get("residual", True) else mlp_out
            x = layer_norm(x, p, b + "ln_mlp") if post_ln else x
    return layer_norm(x, p, "ln_final") if pre_ln else x


def unembed(p, c, x):
    """(…,d) -> logits (…,C)."""
    logits = x @ p["unembed.w"]
    return logits + p["unembed.b"][0] if c["output_bias"] else logits


def logits_at(p, c, tokens, positions, key_mask=None):
    """tokens (B,T), positions (B,R) -> logits (B,R,C) at the read positions."""
    x = forward(p, c, tokens, key_mask=key_mask)  # (B,T,d)
    read = x.gather(1, positions.unsqueeze(-1).expand(-1, -1, x.shape[-1]))  # (B,R,d)
    return unembed(p, c, read)


# ---------------------------------------------------------------- training


def lr_at(step, t, peak):
    """Linear warm-up from start_lr, then cosine to min_lr (null start/min: the peak)."""
    warm, total = t["warmup_steps"], t["steps"]
    start = peak if t["start_lr"] is None else t["start_lr"]
    low = peak if t["min_lr"] is None else t["min_lr"]
    if step < warm:
        return start + (peak - start) * step / warm
    decay = total - warm
    if decay == 0:
        return peak
    progress = min(1.0, (step - warm) / decay)
    return low + 0.5 * (peak - low) * (1 + math.cos(math.pi * progress))


def read_loss(logits, targets, mask):
    """Mean cross-entropy over the reads with target >= 0 and mask 1; (B,R,C), (B,R), (B,R)."""
    counted = ((targets >= 0) & (mask > 0)).to(logits.dtype)
    nll = F.cross_entropy(logits.flatten(0, 1), targets.clamp(min=0).flatten(), reduction="none")
    return (nll * counted.flatten()).sum() / counted.sum().clamp(min=1)


def trainable(p, c):
    return [t for name, t in p.items() if name not in c["frozen"]]


def optimizer(p, c, t, peak_lr, weight_decay):
    return torch.optim.AdamW(trainable(p, c), lr=peak_lr, betas=(t["beta1"], t["beta2"]),
                             eps=t["eps"], weight_decay=weight_decay)


def train_step(p, c, t, opt, loss_fn, lr):
    """One update; returns (loss, gradient norm before clipping)."""
    for group in opt.param_groups:
        group["lr"] = lr
    loss = loss_fn()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    params = trainable(p, c)
    if t["clip_norm"] > 0:
        norm = torch.nn.utils.clip_grad_norm_(params, t["clip_norm"])
    else:  # no clipping (clip_grad_norm_ with 0 would zero the gradients), norm still reported
        norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(q.grad) for q in params]))
    opt.step()
    return loss.item(), norm.item()


# ---------------------------------------------------------------- modes


def use_device(name):
    """The torch device; on CUDA with TF32 off, so float32 products are float32 as on the CPU."""
    if name == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    return torch.device(name)


def parity(directory, device_name="cpu", float64=False):
    def path(name):
        return os.path.join(directory, name)

    def tensor(array):
        """On the device; floating arrays (weights, masks) in the run's precision."""
        t = torch.tensor(array, device=dev)
        return t.to(torch.get_default_dtype()) if t.is_floating_point() else t

    dev = use_device(device_name)
    if float64:  # the same training without float32's rounding: what both float32 runs approximate
        torch.set_default_dtype(torch.float64)
    cfg = json.load(open(path("config.json")))
    c, t, member = cfg["model"], cfg["train"], cfg["member"]
    torch.set_num_threads(cfg.get("threads", 1))
    init = np.load(path("init.npz"))
    names = [name for name, *_ in layout(c)]
    shapes = {name: (1, rows, cols) for name, rows, cols, _ in layout(c)}
    stored = {name: init[name].shape for name in init.files}
    if stored != shapes:
        sys.exit(f"init.npz holds {stored}, the reference's layout is {shapes}")
    p = {name: tensor(init[name][0]).requires_grad_(name not in c["frozen"]) for name in names}
    batches = np.load(path("batches.npz"))
    tokens, targets = tensor(batches["tokens"]), tensor(batches["targets"])
    positions, mask, keys = tensor(batches["positions"]), tensor(batches["loss_mask"]), tensor(batches["key_mask"])
    opt = optimizer(p, c, t, member["peak_lr"], member["weight_decay"])
    losses, norms, lrs = [], [], []
    for s in range(t["steps"]):
        lr = lr_at(s, t, member["peak_lr"])
        loss, norm = train_step(
            p, c, t, opt, lambda: read_loss(logits_at(p, c, tokens[s], positions[s], keys[s]), targets[s], mask[s]), lr)
        losses.append(loss)
        norms.append(norm)
        lrs.append(lr)
    accuracies, eval_losses = {}, {}
    evals = np.load(path("eval.npz"))
    with torch.no_grad():
        for name in cfg["eval_sets"]:
            y = evals[name + ".targets"]
            logits = logits_at(p, c, tensor(evals[name + ".tokens"]), tensor(evals[name + ".positions"]),
                               tensor(evals[name + ".key_mask"]))
            scored = y >= 0
            accuracies[name] = float((logits.argmax(-1).cpu().numpy() == y)[scored].mean())
            eval_losses[name] = float(read_loss(logits, tensor(y), tensor(evals[name + ".loss_mask"])))
    suffix = "-float64" if float64 else ""
    json.dump({"losses": losses, "grad_norms": norms, "lrs": lrs, "accuracies": accuracies, "eval_losses": eval_losses,
               "torch": torch.__version__, "device": str(dev), "dtype": str(torch.get_default_dtype())},
              open(path(f"result{suffix}.json"), "w"))
    np.savez(path(f"final{suffix}.npz"), **{name: q.detach().cpu().numpy()[None] for name, q in p.items()})


def worst_difference(a, b):
    """(largest relative difference of curve a from curve b, its 0-based step)."""
    rel = [abs(x - y) / abs(y) for x, y in zip(a, b)]
    worst = max(range(len(rel)), key=rel.__getitem__)
    return rel[worst], worst


def compare(a):
    """mechsweep's loss curve (its result file) against the reference's result.json; with the
    reference's float64 run beside it (parity --float64), also how far each float32 curve is
    from that one: float32 rounding alone (summation order) moves a curve by about 1e-3 within
    200 steps of this training, so the float32 reference's own distance is the yardstick. Either
    float32 curve may be missing (a run that failed): the others are still compared. Exit 0
    within the bound, 1 above it, 3 when mechsweep's and the reference's curves are not both there."""
    curves = {}
    if os.path.exists(a.result):
        ours = json.load(open(a.result))
        curves["mechsweep"] = [m["loss"] for m in ours["metrics"] if m.get("stage", "train") == "train"]
        print(f"mechsweep: run {ours['runId']} on {ours['device']}")
    else:
        print(f"mechsweep: no result ({a.result}): its run failed; PyTorch's curves alone below")
    for name, file in (("pytorch float32", "result.json"), ("pytorch float64", "result-float64.json")):
        path = os.path.join(a.dir, file)
        if os.path.exists(path):
            run = json.load(open(path))
            curves[name] = run["losses"]
            print(f"{name}: torch {run['torch']} on {run.get('device', 'cpu')}")
        else:
            print(f"{name}: no {path}: its run failed")
    lengths = {len(c) for c in curves.values()}
    if len(lengths) > 1:
        sys.exit("the curves have " + ", ".join(f"{n} {len(c)}" for n, c in curves.items())
                 + " losses: log every step (logging.every_steps: 1)")
    verdict = 3
    if "mechsweep" in curves and "pytorch float32" in curves:
        mine, ref = curves["mechsweep"], curves["pytorch float32"]
        rel, worst = worst_difference(mine, ref)
        verdict = 0 if rel < a.bound else 1
        print(f"mechsweep vs pytorch float32: worst relative loss difference {rel:.2e} at step {worst + 1} of {len(mine)}"
              f" ({mine[worst]:.6f} vs {ref[worst]:.6f}); loss {ref[0]:.4f} -> {ref[-1]:.4f}; bound {a.bound:g}:"
              f" {'within' if verdict == 0 else 'ABOVE'} it")
    if "pytorch float64" in curves:
        for name in ("mechsweep", "pytorch float32"):
            if name in curves:
                rel64, at = worst_difference(curves[name], curves["pytorch float64"])
                print(f"  {name} vs pytorch float64: worst relative loss difference {rel64:.2e} at step {at + 1}")
    return verdict


def bench(a):
    """Times train_step on the model of a --config json (model, train, member, batch)."""
    cfg = json.loads(a.config)
    c, t, member, batch = cfg["model"], cfg["train"], cfg["member"], cfg["batch"]
    torch.set_num_threads(a.threads)
    dev = use_device(a.device)
    if a.tf32:
        torch.backends.cuda.matmul.allow_tf32 = True
    g = torch.Generator().manual_seed(0)
    k = a.packs
    members = [random_init(c, member["init"], g) for _ in range(k)]
    # One batch per member of random tokens and labels, made before timing: the data costs PyTorch nothing.
    tokens = torch.randint(0, c["vocab"], (k, batch, c["seq_len"]), generator=g).to(dev)  # (K,B,T)
    reads = cfg.get("reads", 0)
    if reads:  # R read positions per row, the first loss_reads of them in the loss (lego's chain)
        positions = torch.randint(0, c["seq_len"], (k, batch, reads), generator=g).to(dev)  # (K,B,R)
        targets = torch.randint(0, c["classes"], (k, batch, reads), generator=g).to(dev)
        mask = torch.zeros(k, batch, reads, device=dev)
        mask[..., :cfg["loss_reads"]] = 1
        where = f"cross-entropy at {reads} read positions ({cfg['loss_reads']} in the loss)"

        def member_loss(p, tokens, targets, positions, mask):
            return read_loss(logits_at(p, c, tokens, positions), targets, mask)
        data = (tokens, targets, positions, mask)
    else:
        targets = torch.randint(0, c["classes"], (k, batch), generator=g).to(dev)  # (K,B)
        where = "cross-entropy at the last position"

        def member_loss(p, tokens, targets):  # the last position only, as mechsweep computes it there
            return F.cross_entropy(unembed(p, c, forward(p, c, tokens, last_only=True)[:, -1]), targets)
        data = (tokens, targets)

    if k == 1:
        p = {name: q.detach().to(dev).requires_grad_(q.requires_grad) for name, q in members[0].items()}
        opt = optimizer(p, c, t, member["peak_lr"], member["weight_decay"])

        def step():
            train_step(p, c, t, opt, lambda: member_loss(p, *(x[0] for x in data)), member["peak_lr"])
        how = "one model"
    else:
        step = packed_step(c, t, member, members, member_loss, data, dev)
        how = f"{k} members at once (vmap over stacked weights, one AdamW, clipping per member)"
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    for s in range(a.warmup):
        step()
    sync()
    start = time.perf_counter()
    for s in range(a.steps):
        step()
    sync()
    ms = 1000 * (time.perf_counter() - start) / a.steps
    clipping = f"clipping at {t['clip_norm']}" if t["clip_norm"] > 0 else "no clipping"
    times = (f"{how}: forward, {where}, backward, gradient norm ({clipping}),"
             f" torch.optim.AdamW; one batch of random tokens and labels made before timing and"
             f" reused (no data cost); {a.steps} timed steps after {a.warmup} untimed")
    print(json.dumps({"ms_per_step": ms, "ms_per_run_step": ms / k, "packs": k, "threads": a.threads,
                      "device": str(dev) if dev.type == "cpu" else torch.cuda.get_device_name(dev),
                      "tf32": dev.type == "cuda" and torch.backends.cuda.matmul.allow_tf32,
                      "peak_gpu_mib": round(torch.cuda.max_memory_allocated(dev) / 2**20) if dev.type == "cuda" else None,
                      "torch": torch.__version__, "blas": loaded_blas(), "times": times}))


def packed_step(c, t, member, members, member_loss, data, dev):
    """A training step of K members stacked on a leading dimension: per-member gradients by
    vmap, each member's gradient clipped by its own norm, one AdamW over the stacked tensors
    (elementwise, so the same as K optimizers with equal lr and weight decay)."""
    try:
        from torch.func import grad_and_value, vmap
    except ImportError:  # torch < 2.0 (Debian's 1.13) ships them as functorch
        from functorch import grad_and_value, vmap
    frozen = set(c["frozen"])
    stacked = {name: torch.stack([m[name].detach() for m in members]).to(dev) for name in members[0]}
    trained = [name for name in stacked if name not in frozen]

    def loss_of(train_params, frozen_params, *batch):
        return member_loss({**train_params, **frozen_params}, *batch)

    grads_and_loss = vmap(grad_and_value(loss_of), in_dims=(0, 0) + (0,) * len(data))
    opt = torch.optim.AdamW([stacked[n] for n in trained], lr=member["peak_lr"], betas=(t["beta1"], t["beta2"]),
                            eps=t["eps"], weight_decay=member["weight_decay"])

    def step():
        grads, _ = grads_and_loss({n: stacked[n] for n in trained},
                                  {n: stacked[n] for n in stacked if n in frozen}, *data)
        k = len(members)
        norms = torch.sqrt(sum(grads[n].reshape(k, -1).pow(2).sum(1) for n in trained))  # (K,)
        scale = (t["clip_norm"] / (norms + 1e-6)).clamp(max=1.0) if t["clip_norm"] > 0 else torch.ones_like(norms)
        for n in trained:
            stacked[n].grad = grads[n] * scale.view(k, *([1] * (grads[n].dim() - 1)))
        opt.step()
    return step


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
    par.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    par.add_argument("--float64", action="store_true",
                     help="train in float64 (result-float64.json): the curve both float32 runs approximate")
    cmp = sub.add_parser("compare")
    cmp.add_argument("result", help="mechsweep's results/<run_id>.json of the run the inputs describe")
    cmp.add_argument("dir", help="the reference's directory (its result.json)")
    cmp.add_argument("--bound", type=float, default=1e-3, help="largest relative loss difference allowed")
    b = sub.add_parser("bench")
    b.add_argument("--config", required=True,
                   help="json: model (config.json's keys), train (beta1, beta2, eps, clip_norm),"
                        " member (peak_lr, weight_decay, init {gamma|std}), batch")
    b.add_argument("--steps", type=int, default=50)
    b.add_argument("--warmup", type=int, default=5)
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--packs", type=int, default=1, help="members trained at once (K)")
    b.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    b.add_argument("--tf32", action="store_true", help="let CUDA matmuls use TF32 (default: off)")
    a = parser.parse_args()
    if a.mode == "parity":
        return parity(a.dir, a.device, a.float64)
    if a.mode == "compare":
        return compare(a)
    bench(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
