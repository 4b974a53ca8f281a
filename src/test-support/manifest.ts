// A manifest that follows docs/model-contract.md, for tests that need one before
// (or besides) the exported fixture model. Content hashes are real sha256 of `contents`.
import { createHash } from "node:crypto";

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function sampleManifest(contents: Record<string, Uint8Array> = {}): Record<string, any> {
  const paths = [
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "preprocessor_config.json",
    "onnx/audio_encoder.onnx",
    "onnx/embed_tokens.onnx",
    "onnx/decoder_model_merged.onnx",
    "onnx/decoder_model_merged.onnx_data",
    "onnx/audio_encoder_q4.onnx",
    "onnx/embed_tokens_q4.onnx",
    "onnx/decoder_model_merged_q4.onnx",
  ];
  const files = paths.map((path) => {
    const bytes = contents[path] ?? new TextEncoder().encode(`contents of ${path}`);
    return { path, bytes: bytes.length, sha256: sha256(bytes) };
  });
  const prompt = (language: string) => ({
    messages: [
      { role: "system", content: "You are a professional translator." },
      { role: "user", content: `Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\nTranslate the English speech into ${language}:` },
    ],
    text: `<|im_start|>system\nYou are a professional translator.<|im_end|>\n<|im_start|>user\nAudio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\nTranslate the English speech into ${language}:<|im_end|>\n<|im_start|>assistant\n`,
  });
  return {
    format: "qwen2-audio-onnx",
    format_version: 1,
    id: "sample",
    version: "2026-11-27.1",
    source: { checkpoint: "none", architecture: "Qwen2AudioForConditionalGeneration" },
    languages: { source: "en", targets: ["de", "zh"] },
    prompts: { de: prompt("German"), zh: prompt("Chinese") },
    audio: {
      sampling_rate: 16000, n_mels: 128, hop_length: 160, n_samples: 480000, max_frames: 3000, max_seconds: 30.0,
      token_formula: "L1=(frames-1)//2+1; n=(L1-2)//2+1", conv_stride: 2, pool_stride: 2,
    },
    tokens: { audio: 151646, audio_bos: 151647, audio_eos: 151648, eos: [151645, 151643], im_start: 151644, im_end: 151645, pad: 151643 },
    decoder: { num_layers: 2, num_kv_heads: 2, head_dim: 32, hidden_size: 64, vocab_size: 700 },
    variants: {
      fp32: { audio_encoder: "onnx/audio_encoder.onnx", embed_tokens: "onnx/embed_tokens.onnx", decoder_model_merged: "onnx/decoder_model_merged.onnx", bytes: 0 },
      q4: { audio_encoder: "onnx/audio_encoder_q4.onnx", embed_tokens: "onnx/embed_tokens_q4.onnx", decoder_model_merged: "onnx/decoder_model_merged_q4.onnx", bytes: 0 },
    },
    default_variant: "q4",
    files,
    total_bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    parameters: { total: 5 },
    quantization: {},
    external_data: { max_shard_bytes: 2000000000 },
    metrics: {},
  };
}
