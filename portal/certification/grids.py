"""Reading the answer and score grids, whose fields depend on the edition's parameters."""

from dataclasses import dataclass

from werkzeug.datastructures import FileStorage, MultiDict


def _ids(form: MultiDict, prefix: str) -> list[int]:
    ids = []
    for key in form:
        if key.startswith(prefix) and key[len(prefix):].isdigit():
            ids.append(int(key[len(prefix):]))
    return ids


def answer_entries(form: MultiDict) -> dict[int, dict]:
    """`value_<id>`, `note_<id>`, `version_<id>` for each parameter shown on the page."""
    return {
        pid: {"value": form.get(f"value_{pid}", ""), "note": form.get(f"note_{pid}", ""), "version": form.get(f"version_{pid}", "")}
        for pid in _ids(form, "version_")
    }


def score_entries(form: MultiDict) -> dict[int, dict]:
    return {
        pid: {"score": form.get(f"score_{pid}", ""), "comment": form.get(f"comment_{pid}", ""), "version": form.get(f"version_{pid}", "")}
        for pid in _ids(form, "version_")
    }


def questions(form: MultiDict) -> dict[int, str]:
    return {pid: form.get(f"question_{pid}", "") for pid in _ids(form, "question_")}


def responses(form: MultiDict) -> dict[int, str]:
    return {cid: form.get(f"response_{cid}", "") for cid in _ids(form, "response_")}


def review_items(form: MultiDict, codes: list[str]) -> dict[str, dict]:
    return {
        code: {"figure": form.get(f"figure_{code}", ""), "score": form.get(f"score_{code}", ""), "comment": form.get(f"comment_{code}", "")}
        for code in codes
    }


@dataclass(frozen=True)
class EvidenceInput:
    """What the area form says of one parameter's evidence: a new file, and/or a stored one to reuse."""

    upload: FileStorage | None = None
    title: str = ""
    expires: str = ""  # as typed in the date input
    reuse_id: int | None = None


def evidence_inputs(form: MultiDict, files: MultiDict, parameter_ids) -> dict[int, EvidenceInput]:
    """`file_<id>`, `title_<id>`, `expires_<id>`, `reuse_<id>` of the parameters that have a file or a reuse."""
    inputs = {}
    for pid in parameter_ids:
        upload = files.get(f"file_{pid}")
        upload = upload if upload is not None and upload.filename else None
        reuse = form.get(f"reuse_{pid}", "")
        if upload is not None or reuse.isdigit():
            inputs[pid] = EvidenceInput(upload, form.get(f"title_{pid}", "").strip(), form.get(f"expires_{pid}", ""),
                                        int(reuse) if reuse.isdigit() else None)
    return inputs
