"""emoflat's own widgets: the key legend, the session's progress line, the breath visual."""
