"""The proposals' workflow as plain rules: default states, allowed moves, required reasons.

Staff may rename states, add new ones and change the allowed moves; the defaults below are
what a fresh portal starts from.
"""

from flask_babel import gettext as _

from portal.rules import RuleError

# code, label, requires a reason, initial, closed (decided for good: no more supports)
DEFAULT_STATES = (
    ("bozza", "Bozza", False, True, False),
    ("presentata", "Presentata", False, False, False),
    ("in_discussione", "In discussione", False, False, False),
    ("accolta", "Accolta", False, False, False),
    ("accolta_in_parte", "Accolta in parte", True, False, False),
    ("respinta", "Respinta", True, False, True),
    ("attuata", "Attuata", False, False, True),
)

DEFAULT_TRANSITIONS = (
    ("bozza", "presentata"),
    ("presentata", "bozza"),
    ("presentata", "in_discussione"),
    ("presentata", "respinta"),
    ("in_discussione", "accolta"),
    ("in_discussione", "accolta_in_parte"),
    ("in_discussione", "respinta"),
    ("accolta", "attuata"),
    ("accolta_in_parte", "attuata"),
    ("accolta_in_parte", "in_discussione"),
    ("respinta", "presentata"),
)


def check_transition(current, target, reason: str) -> str:
    """The cleaned reason if `current -> target` is allowed, else RuleError with the user's message.

    `current` and `target` are states with `id`, `label`, `requires_reason` and `targets`.
    """
    if target.id == current.id:
        raise RuleError(_("La proposta è già nello stato «%(state)s».", state=target.label))
    if target.id not in {t.id for t in current.targets}:
        allowed = ", ".join(f"«{t.label}»" for t in current.targets) or _("nessuno")
        raise RuleError(_("Da «%(current)s» non si può passare a «%(target)s». Stati possibili: %(allowed)s.",
                          current=current.label, target=target.label, allowed=allowed))
    reason = (reason or "").strip()
    if target.requires_reason and len(reason) < 5:
        raise RuleError(_("Per passare a «%(state)s» indica il motivo (almeno 5 caratteri).", state=target.label))
    return reason
