"""The paper's translation prompt (Moslem, IWSLT 2025), our transcription prompt, and the chat template.

Qwen2-Audio is trained on transcription prompts as well as translation prompts; ours asks for the
English the speaker said, so the app can show what the model heard under each translation.
"""

SYSTEM_PROMPT = "You are a professional translator."
AUDIO_PLACEHOLDER = "Audio 1: <|audio_bos|><|AUDIO|><|audio_eos|>\n"
LANGUAGE_NAMES = {"de": "German", "zh": "Chinese"}
LANGS = tuple(LANGUAGE_NAMES)  # the target languages, in the order every table uses
TRANSCRIBE = "transcribe"
TASKS = LANGS + (TRANSCRIBE,)  # the prompts every model is trained on
# Transcribe, then translate, in one answer: the translation is written after, and so conditioned on, the
# English the model wrote (chain-of-thought speech translation). Trained only when asked (`--chain`).
CHAINED = {lang: f"{TRANSCRIBE}+{lang}" for lang in LANGS}
CHAINED_TARGET = {task: lang for lang, task in CHAINED.items()}  # a chained task's translation language
ALL_TASKS = TASKS + tuple(CHAINED.values())
CHAIN_SEPARATOR = "\n"  # between the English and the translation in a chained answer


def split_chained(text: str) -> tuple[str, str]:
    """(the English, the translation) of a chained answer; with no separator, all of it is the English."""
    english, _, translation = text.partition(CHAIN_SEPARATOR)
    return english.strip(), translation.strip()

# Qwen2's ChatML layout. Kept deliberately simple (string contents only) so that the same
# template renders identically in transformers (Python) and in transformers.js (@huggingface/jinja).
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def translation_messages(lang: str) -> list[dict]:
    """The chat messages of a task: a target language ("de", "zh") or "transcribe"."""
    if lang == TRANSCRIBE:
        user = f"{AUDIO_PLACEHOLDER}Transcribe the English speech:"
    elif lang in CHAINED_TARGET:
        target = LANGUAGE_NAMES[CHAINED_TARGET[lang]]
        user = f"{AUDIO_PLACEHOLDER}Transcribe the English speech, then translate it into {target}:"
    elif lang in LANGUAGE_NAMES:
        user = f"{AUDIO_PLACEHOLDER}Translate the English speech into {LANGUAGE_NAMES[lang]}:"
    else:
        raise ValueError(f"unsupported task {lang!r}; expected one of {list(ALL_TASKS)}")
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def render_prompt(tokenizer, lang: str) -> str:
    """The prompt text up to and including the assistant header, with one <|AUDIO|> placeholder."""
    return tokenizer.apply_chat_template(translation_messages(lang), tokenize=False, add_generation_prompt=True)
