"""emoflat's screens: each file shows one screen and the keys it takes."""
