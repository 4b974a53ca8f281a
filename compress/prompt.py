"""The paper's translation prompt (Moslem, IWSLT 2025) and the chat template that renders it."""

SYSTEM_PROMPT = "You are a professional translator."
AUDIO_PLACEHOLDER = "Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\n"
LANGUAGE_NAMES = {"de": "German", "zh": "Chinese"}
LANGS = tuple(LANGUAGE_NAMES)  # the target languages, in the order every table uses

# Qwen2's ChatML layout. Kept deliberately simple (string contents only) so that the same
# template renders identically in transformers (Python) and in transformers.js (@huggingface/jinja).
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def translation_messages(lang: str) -> list[dict]:
    if lang not in LANGUAGE_NAMES:
        raise ValueError(f"unsupported target language {lang!r}; expected one of {sorted(LANGUAGE_NAMES)}")
    user = f"{AUDIO_PLACEHOLDER}Translate the English speech into {LANGUAGE_NAMES[lang]}:"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def render_prompt(tokenizer, lang: str) -> str:
    """The prompt text up to and including the assistant header, with one <|AUDIO|> placeholder."""
    return tokenizer.apply_chat_template(translation_messages(lang), tokenize=False, add_generation_prompt=True)
