"""Irreversible steps of the module's pages ask first: a confirmation page that posts the same form again."""

from flask import render_template, request


def confirmed() -> bool:
    """Whether the post comes from the confirmation page (its button sends step=confirm)."""
    return request.form.get("step") == "confirm"


def confirmation(title: str, question: str, consequences: list[str], button: str, back: str, fields=None, danger: bool = False):
    """The page that asks before an irreversible step: it posts the same form again with step=confirm."""
    fields = fields if fields is not None else [(k, v) for k, v in request.form.items(multi=True) if k not in ("step", "csrf_token")]
    return render_template("certification/confirm.html", title=title, question=question, consequences=consequences,
                           button=button, back=back, action=request.path, fields=fields, danger=danger)
