"""The one e-mail template every Bollino Blu step sends (who hears: `portal.members.recipients`)."""

from portal.mail import queue_mail


def tell(users, subject: str, text: str, url: str, detail: str = "") -> None:
    """Queue the notice to each user once; it leaves after the action commits."""
    seen: set[int] = set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        queue_mail(user.email, subject, "certification/notice.txt", name=user.name, text=text, detail=detail, url=url)
