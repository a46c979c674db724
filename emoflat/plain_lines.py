"""Plain mode's words: every line it says, and the words it takes as commands.

Kept apart so the session runner (:mod:`emoflat.plain`) and the questions
(:mod:`emoflat.plain_questions`) say things the same way. Imports neither Textual nor Rich.
"""

from __future__ import annotations

from emoflat.checkin import EARLY_END_GROUNDING

USAGE_LINE = "Enter moves on. q then Enter ends. Ctrl+C ends."
MORE_KEYS_LINE = "p then Enter pauses. b then Enter goes back a step. h then Enter shows help."
UNATTENDED_LINE = "The steps go on by themselves. Ctrl+C ends."
PAUSED_LINE = "Paused. Press Enter to go on."
RESUMED_LINE = "Going on."
ANSWER_LINE = (
    "If you'd like, type an answer and press Enter. Anything typed here is kept as your"
    " answer. Enter alone goes on. Ctrl+C ends."
)
ANSWER_KEPT_LINE = "Your answer is kept with this session."
NO_MORE_INPUT_LINE = "No more input. The steps go on by themselves. Ctrl+C ends."
ENDING_LINE = "Ending the session."
NO_MORE_ANSWERS_LINE = "No more input. The rest of the questions are skipped."
EMPTY_PAUSE_TEXT = "A quiet pause. Nothing to do."
COMPLETED_LINE = "That is the end of the practice."
ENDED_EARLY_LINE = "You ended the session. Stopping early is always fine."
GROUNDING_LINE = EARLY_END_GROUNDING  # the full-screen summary's words too
KEPT_LINE = "Your session was kept."
CHOOSE_LINE = (
    "Choose a practice to start: emoflat practice ID --plain ('emoflat list' shows them all)."
)

PICK_LINE = "Type a number and press Enter (h for help, q to leave)"
NOT_A_CHOICE_LINE = "That is not one of the numbers."
LENGTHS_LINE = "How long would you like it to be?"
LEFT_LINE = "No practice was started."
NOT_STARTED_LINE = "Ending. No practice was started, so nothing was logged."
QUESTIONS_LEFT_LINE = "Leaving the questions. What you gave is kept with the session."
CHECKIN_INTRO_LINE = "A few optional questions. Enter alone skips any of them."
CHECKIN_KEYS_LINE = "b then Enter goes back a question, s skips the rest, q leaves the questions."
FIRST_QUESTION_LINE = "This is the first question."
MORE_OFFER_LINE = "d then Enter for a few more questions. Enter alone finishes."
NOT_AN_OFFER_LINE = "That is not one of the choices."
FEEL_PROMPT = "If you'd like, type a number from 0 to 10 and press Enter. Enter alone skips it."
FEEL_AGAIN_LINE = "That is not a whole number from 0 to 10."
ONE_PROMPT = "If you'd like, type a number and press Enter. Enter alone skips it."
MANY_PROMPT = (
    "If any fit, type their numbers, separated by spaces or commas, and press Enter."
    " Enter alone skips it."
)
NOT_IN_LIST_LINE = "Some of that is not one of the numbers."
UNSETTLING_OFFER_LINE = (
    "g then Enter for 30 seconds of grounding, h then Enter for help, Enter to go on."
)
GROUNDING_STEP_LINE = "Grounding, about 30 seconds. Enter ends it early."
GROUNDING_DONE_LINE = "The grounding step is over."
NOTE_PROMPT = (
    "If you'd like, type it on one line and press Enter. Anything typed here is kept as"
    " your note. Enter alone leaves it empty."
)

COMMANDS_QUIT = frozenset({"q", "quit", "end", "stop", "exit"})
COMMANDS_PAUSE = frozenset({"p", "pause", " "})
COMMANDS_NEXT = frozenset({"", "n", "next"})
COMMANDS_BACK = frozenset({"b", "back"})
COMMANDS_SKIP = frozenset({"s", "skip"})
COMMANDS_HELP = frozenset({"h", "help", "?"})
