"""The one exception type the toolkit raises for bad input, so the CLI can print it without a traceback."""


class ToolkitError(Exception):
    """A problem with the caller's input (paths, arguments, checkpoint contents), named in the message."""
