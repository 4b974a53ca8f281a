"""A model folder whose decoder runs on onnxruntime's fused contrib operators, for `npm run bench:wasm-speed`.

Issue 16's lever for a faster WASM decode step was a fused decoder graph: a step of the plain graph runs
~360 small operators, and onnxruntime-genai's builder writes attention as one GroupQueryAttention node. The
builder needs transformers >= 5 and torch >= 2.6 (docs/results.md, "WASM against onnxruntime-node"), so this
traces the same layers with two contrib operators in their place instead: RotaryEmbedding (from position_ids
and a cos/sin table of max_position_embeddings rows) and GroupQueryAttention (past and present in the plain
graph's [batch, kv_heads, length, head_dim] layout). The inputs and outputs are the plain graph's, so every
runtime reads it unchanged; it holds for what they feed: batch 1, no padding, a prefill then one token a step.

It checks the fused fp32 graph against the plain one in onnxruntime (a prefill of 40 and 20 steps), writes a
copy of FOLDER with the decoder graphs replaced (q4, q4dq, q8 as `compress export --quant web` makes them)
and its manifest re-hashed. Bench it, then delete it (the app's tests serve every folder under public/models):

    python experiments/fused-decoder.py runs/student-v5t/final public/models/phrasebook-student public/models/fused-trial
    npm run bench:wasm-speed -- --model fused-trial --only "1 thread"; npm run bench:wasm-speed -- --only "1 thread"
    rm -r public/models/fused-trial
"""
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import compress.export.graphs as graphs  # noqa: E402
from compress.checkpoint import load_checkpoint  # noqa: E402
from compress.export.export import export_model  # noqa: E402
from compress.export.manifest import sha256_file  # noqa: E402


class Rotary(torch.autograd.Function):
    """HF's rotate-half RoPE in PyTorch; com.microsoft RotaryEmbedding in the graph."""

    @staticmethod
    def forward(ctx, x, position_ids, cos_cache, sin_cache, num_heads):
        b, s, h = x.shape
        d = h // num_heads
        heads = x.view(b, s, num_heads, d)
        cos, sin = cos_cache[position_ids].unsqueeze(2), sin_cache[position_ids].unsqueeze(2)
        x1, x2 = heads[..., : d // 2], heads[..., d // 2:]
        return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), -1).reshape(b, s, h)

    @staticmethod
    def symbolic(g, x, position_ids, cos_cache, sin_cache, num_heads):
        return g.op("com.microsoft::RotaryEmbedding", x, position_ids, cos_cache, sin_cache, num_heads_i=num_heads,
                    interleaved_i=0)


class Attention(torch.autograd.Function):
    """Causal attention over the past and the new keys in PyTorch; com.microsoft GroupQueryAttention in the graph."""

    @staticmethod
    def forward(ctx, q, k, v, past_k, past_v, seqlens_k, total_len, num_heads, kv_heads, scale):
        b, s, _ = q.shape
        d = q.shape[2] // num_heads
        q = q.view(b, s, num_heads, d).transpose(1, 2)
        keys = torch.cat((past_k, k.view(b, s, kv_heads, d).transpose(1, 2)), 2)
        values = torch.cat((past_v, v.view(b, s, kv_heads, d).transpose(1, 2)), 2)
        groups = num_heads // kv_heads
        scores = q @ keys.repeat_interleave(groups, 1).transpose(2, 3) * scale
        later = torch.arange(keys.shape[2])[None, :] > (torch.arange(s) + past_k.shape[2])[:, None]
        weights = scores.masked_fill(later, float("-inf")).softmax(-1)
        out = (weights @ values.repeat_interleave(groups, 1)).transpose(1, 2).reshape(b, s, num_heads * d)
        return out, keys, values

    @staticmethod
    def symbolic(g, q, k, v, past_k, past_v, seqlens_k, total_len, num_heads, kv_heads, scale):
        return g.op("com.microsoft::GroupQueryAttention", q, k, v, past_k, past_v, seqlens_k, total_len,
                    num_heads_i=num_heads, kv_num_heads_i=kv_heads, scale_f=scale, outputs=3)


class FusedDecoderGraph(nn.Module):
    """graphs.DecoderGraph's contract, each layer's attention as RotaryEmbedding ×2 + GroupQueryAttention."""

    def __init__(self, model, max_tensor_bytes: int):
        super().__init__()
        lm = model.language_model
        self.body, cfg = lm.model, lm.config
        self.heads, self.kv_heads = cfg.num_attention_heads, cfg.num_key_value_heads
        rope = self.body.rotary_emb
        freqs = torch.arange(cfg.max_position_embeddings).float()[:, None] * rope.inv_freq.float()[None]
        self.register_buffer("cos_cache", freqs.cos() * rope.attention_scaling)
        self.register_buffer("sin_cache", freqs.sin() * rope.attention_scaling)
        self.lm_head_chunks = nn.ParameterList(graphs._row_chunks(lm.lm_head.weight, max_tensor_bytes))

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        seqlens_k = (attention_mask.sum(1) - 1).to(torch.int32)
        total_len = torch._shape_as_tensor(attention_mask)[1].to(torch.int32)
        hidden, present = inputs_embeds, []
        for i, layer in enumerate(self.body.layers):
            attn, x = layer.self_attn, layer.input_layernorm(hidden)
            q = Rotary.apply(attn.q_proj(x), position_ids, self.cos_cache, self.sin_cache, self.heads)
            k = Rotary.apply(attn.k_proj(x), position_ids, self.cos_cache, self.sin_cache, self.kv_heads)
            out, keys, values = Attention.apply(q, k, attn.v_proj(x), past[2 * i], past[2 * i + 1], seqlens_k,
                                                total_len, self.heads, self.kv_heads, float(attn.scaling))
            present += [keys, values]
            hidden = hidden + attn.o_proj(out)
            hidden = hidden + layer.mlp(layer.post_attention_layernorm(hidden))
        logits = torch.cat([F.linear(self.body.norm(hidden), w) for w in self.lm_head_chunks], dim=-1)
        return (logits, *present)


def decode(session, layers, kv_heads, head_dim, embeds):
    """A prefill of embeds[:, :-20] and 20 single steps; the logits of each run."""
    past = [np.zeros((1, kv_heads, 0, head_dim), np.float32)] * (2 * layers)
    logits, start = [], 0
    for end in [embeds.shape[1] - 20] + list(range(embeds.shape[1] - 19, embeds.shape[1] + 1)):
        feed = {"inputs_embeds": embeds[:, start:end], "attention_mask": np.ones((1, end), np.int64),
                "position_ids": np.arange(start, end, dtype=np.int64)[None]}
        feed.update({f"past_key_values.{i // 2}.{'key' if i % 2 == 0 else 'value'}": p for i, p in enumerate(past)})
        out = session.run(None, feed)
        logits.append(out[0][:, -1])
        past, start = out[1:], end
    return np.concatenate(logits)


def main(checkpoint, folder, out):
    folder, out = Path(folder), Path(out)
    model = load_checkpoint(checkpoint)[0]
    layers, kv_heads, head_dim = graphs.kv_shape(model)
    with tempfile.TemporaryDirectory() as tmp:
        plain = graphs.export_graphs(model, Path(tmp) / "plain", max_tensor_bytes=1 << 30)["decoder_model_merged"]
        graphs.DecoderGraph = FusedDecoderGraph  # export_graphs and export_model trace this class now
        fused = graphs.export_graphs(model, Path(tmp) / "fused", max_tensor_bytes=1 << 30)["decoder_model_merged"]
        embeds = np.random.default_rng(0).standard_normal((1, 60, model.config.text_config.hidden_size)).astype(np.float32)
        a, b = (decode(ort.InferenceSession(str(p), providers=["CPUExecutionProvider"]), layers, kv_heads, head_dim, embeds)
                for p in (plain, fused))
        print(f"fused against plain, fp32: max |logit difference| {np.abs(a - b).max():.2e}, "
              f"argmax equal on {np.mean(a.argmax(-1) == b.argmax(-1)):.0%} of 21 runs")
        export_model(checkpoint, Path(tmp) / "export", quant="web")
        shutil.copytree(folder, out)
        for graph in (Path(tmp) / "export" / "onnx").glob("decoder_model_merged_*.onnx"):
            shutil.copy(graph, out / "onnx" / graph.name)
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["files"]:
        entry["bytes"], entry["sha256"] = (out / entry["path"]).stat().st_size, sha256_file(out / entry["path"])
    manifest["total_bytes"], manifest["version"] = sum(e["bytes"] for e in manifest["files"]), "fused-trial"
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
