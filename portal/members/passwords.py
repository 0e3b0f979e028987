"""What makes a password acceptable: at least 12 characters, and not guessable.

zxcvbn (offline: its dictionaries ship with the package) estimates how many guesses a password
takes, counting common passwords, names, words, keyboard rows, repeats, sequences, dates and the
person's own e-mail and name. Score 3 ("safely unguessable: moderate protection from an offline
attack") is the minimum. The refusal says why, in the user's language: zxcvbn's own English
warnings are mapped to our translated sentences.
"""

import re
import threading

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3
SITE_WORDS = ("assocontact", "portale", "bollino", "contact", "center", "callcenter")

WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("le righe di tasti vicini sono facili da indovinare"),
    "Short keyboard patterns are easy to guess.": _l("i percorsi sulla tastiera sono facili da indovinare"),
    'Repeats like "aaa" are easy to guess.': _l("le ripetizioni come «aaa» sono facili da indovinare"),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l("le ripetizioni come «abcabcabc» sono facili da indovinare"),
    'Sequences like "abc" or "6543" are easy to guess.': _l("le sequenze come «abc» o «6543» sono facili da indovinare"),
    "Recent years are easy to guess.": _l("gli anni recenti sono facili da indovinare"),
    "Dates are often easy to guess.": _l("le date sono facili da indovinare"),
    "This is a top-10 common password.": _l("è tra le password più usate al mondo"),
    "This is a top-100 common password.": _l("è tra le password più usate al mondo"),
    "This is a very common password.": _l("è una password molto comune"),
    "This is similar to a commonly used password.": _l("somiglia a una password molto comune"),
    "A word by itself is easy to guess.": _l("una parola da sola è facile da indovinare"),
    "Names and surnames by themselves are easy to guess.": _l("nomi e cognomi da soli sono facili da indovinare"),
    "Common names and surnames are easy to guess.": _l("i nomi e cognomi comuni sono facili da indovinare"),
}

# zxcvbn keeps the user's words in a module-level dictionary while it scores: one check at a time.
_scoring = threading.Lock()


def password_problem(password: str, known_words: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused (a sentence for the user), or None when it is acceptable.

    `known_words`: what an attacker knows of the person (e-mail, name), which the password must not lean on."""
    if len(password) < MIN_LENGTH:
        return _("La password deve avere almeno %(n)s caratteri.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("La password può avere al massimo %(n)s caratteri.", n=MAX_LENGTH)
    words = [w for text in known_words if text for w in _words_of(text)] + list(SITE_WORDS)
    reason = _("Password troppo facile da indovinare")
    if _leans_on(password, words):
        warning = _l("contiene il tuo nome, la tua e-mail o il nome del portale")
    else:
        with _scoring:
            result = zxcvbn(password, user_inputs=words, max_length=MAX_LENGTH)
        if result["score"] >= MIN_SCORE:
            return None
        warning = WARNINGS.get(result["feedback"]["warning"])
    advice = _("Usa una frase di quattro o più parole non ovvie, oppure una password generata da un gestore di password.")
    return f"{reason}: {warning}. {advice}" if warning else f"{reason}. {advice}"


def _leans_on(password: str, words: list[str]) -> bool:
    """Half or more of the password is the person's name, e-mail or the site's name (zxcvbn counts
    the separators between them as random characters, and would let `mario.rossi.voce` through)."""
    letters = re.sub(r"[\W_]", "", password.lower())
    covered = sum(len(word) for word in set(words) if len(word) >= 3 and word in letters)
    return covered * 2 >= len(letters)


def _words_of(text: str) -> list[str]:
    """`mario.rossi@voce.it` -> the whole text and its parts (`mario`, `rossi`, `voce`)."""
    parts = [p for p in text.lower().replace("@", " ").replace(".", " ").replace("-", " ").split() if len(p) > 2]
    return [text.lower(), *parts]


class StrongPassword:
    """WTForms validator; the form's `known_words` (set by the view) are the person's e-mail and name."""

    def __call__(self, form, field) -> None:
        problem = password_problem(field.data or "", tuple(getattr(form, "known_words", ())))
        if problem:
            raise ValidationError(problem)
