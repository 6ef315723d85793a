"""The maths behind /llm: small, exact examples of language-model-era objectives.

One module per idea, pure torch, no Streamlit: ``next_token`` (padding, averaging, perplexity,
label smoothing, masked-LM), ``ctc_example``, ``contrastive`` (InfoNCE/CLIP on 2-D points),
``kl_fit`` (forward vs reverse KL), ``rlhf`` (PPO clip, DPO) and ``moe`` (Switch balancing, z-loss).
Every function returns plain floats, lists or numpy arrays, ready to cache and draw.
"""
