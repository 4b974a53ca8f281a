"""python -m compress <command>: the toolkit's single entry point."""
import argparse
import importlib
import sys

from .errors import ToolkitError

# Each command's module registers its subparser (`add_cli`). Only the named command's module is
# imported, so `compress phrasebook` does not pay for torch; --help and unknown names load them all.
COMMANDS = {
    "tiny": "tiny",
    "fixture": "fixture",
    "export": "export.export",
    "requantize": "export.requantize",
    "sizes": "export.sizes",
    "train-teacher": "train",
    "prune": "prune",
    "kd-data": "kd",
    "distil": "distil",
    "qlora": "qlora",
    "qat": "qat",
    "compress-student": "student",
    "test-clips": "testclips",
    "eval": "evaluate",
    "phrasebook": "phrasebook",
    "synth": "speech",
    "voices": "speech",
    "speak": "speech",
    "conditions": "speech",
    "speed": "speed",
    "golden": "export.golden",
    "decoding": "decoding",
    "rerank": "rerank",
    "robustness": "robustness",
    "import-onnx": "import_onnx",
    "peer-whisper": "peer_whisper",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m compress", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    modules = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for module in modules:
        importlib.import_module(f".{module}", __package__).add_cli(sub)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        args.func(args)
    except ToolkitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # a file the user named is missing or unreadable, a disk is full: theirs to fix, not a bug
        print(f"error: {e.strerror or e}" + (f": {e.filename}" if e.filename else ""), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
