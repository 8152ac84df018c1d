"""Figures computed from sourced inputs, never typed in: pure functions, each with its formula.

The formulas are stated on the pages that show the results (see `FORMULAS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import schema

FORMULAS = {
    "compute": "C ≈ 6 · N_active · D",
    "head_dim": "d_h = d_model / n_h",
    "kv_mha": "2 · n_h · d_h · l",
    "kv_gqa": "2 · n_g · d_h · l",
    "kv_mqa": "2 · d_h · l",
    "kv_mla": "(d_c + d_h^R) · l",
    "m_per_token": "M = 72 · n_layer · d_model² + 12 · n_layer · d_model · l_seq",
}


@dataclass(frozen=True, kw_only=True)
class Compute:
    flops: float
    derived: bool  # True when computed as 6·N·D, False when the paper reports it


def training_compute(config: schema.ModelConfig) -> Compute | None:
    """Reported training FLOPs, else 6 × activated (or total) parameters × training tokens."""
    if config.training_flops:
        return Compute(flops=config.training_flops.value, derived=False)
    params = config.activated_params or config.total_params
    if params is None or config.training_tokens is None:
        return None
    return Compute(flops=6.0 * params.value * config.training_tokens.value, derived=True)


def head_dim(config: schema.ModelConfig) -> int | None:
    if config.head_dim:
        return config.head_dim.value
    if config.hidden_size and config.attention_heads:
        return config.hidden_size.value // config.attention_heads.value
    return None


def kv_elements_per_token(config: schema.ModelConfig, mechanism: str) -> int | None:
    """KV-cache elements one token occupies across all layers (V2 paper, Table 1)."""
    layers = config.layers.value if config.layers else None
    d_h = head_dim(config)
    if layers is None:
        return None
    if mechanism == "MLA":
        if not (config.kv_lora_rank and config.qk_rope_head_dim):
            return None
        return (config.kv_lora_rank.value + config.qk_rope_head_dim.value) * layers
    if d_h is None or not config.attention_heads:
        return None
    if mechanism == "MHA":
        return 2 * config.attention_heads.value * d_h * layers
    if mechanism == "GQA":
        return 2 * config.kv_heads.value * d_h * layers if config.kv_heads else None
    if mechanism == "MQA":
        return 2 * d_h * layers
    raise ValueError(f"unknown attention mechanism {mechanism}")


def kv_formula(config: schema.ModelConfig, mechanism: str) -> str:
    """`kv_elements_per_token`'s formula for *mechanism*, then with the model's numbers."""
    key = {"MHA": "kv_mha", "GQA": "kv_gqa", "MQA": "kv_mqa", "MLA": "kv_mla"}[mechanism]
    layers = config.layers.value if config.layers else None
    if mechanism == "MLA" and config.kv_lora_rank and config.qk_rope_head_dim:
        inputs = f"({config.kv_lora_rank.value} + {config.qk_rope_head_dim.value}) · {layers}"
    else:
        d_h = head_dim(config)
        heads = {
            "MHA": config.attention_heads.value if config.attention_heads else None,
            "GQA": config.kv_heads.value if config.kv_heads else None,
        }.get(mechanism)
        inputs = " · ".join(str(x) for x in (2, heads, d_h, layers) if x is not None)
    return f"{FORMULAS[key]} = {inputs}"


def compute_inputs(config: schema.ModelConfig) -> tuple[int, int] | None:
    """N and D of the 6·N·D estimate (N activated, else total), None where it is reported."""
    params = config.activated_params or config.total_params
    if config.training_flops or params is None or config.training_tokens is None:
        return None
    return params.value, config.training_tokens.value


def non_embedding_flops_per_token(config: schema.ModelConfig) -> float | None:
    """DeepSeek LLM's model scale M (Section 3.2, Equation 2), with l_seq = context length."""
    if not (config.layers and config.hidden_size and config.context_length):
        return None
    n, d, l_seq = config.layers.value, config.hidden_size.value, config.context_length.value
    return 72.0 * n * d * d + 12.0 * n * d * l_seq


def power_law(law: schema.ScalingLaw, compute: float) -> float:
    # float ** float is typed as Any (a negative base gives a complex number); compute
    # is positive, so the power is a float.
    scaled: float = compute**law.exponent
    return law.coefficient * scaled
