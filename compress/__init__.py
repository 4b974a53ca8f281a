"""Toolkit that builds, compresses, exports and evaluates Qwen2-Audio speech-translation models.

One module per pipeline step; `python -m compress <command>` is the single entry point.
"""
