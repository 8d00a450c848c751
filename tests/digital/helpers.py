"""Answers to the 2024 questionnaire as form data."""

from digital.editions import EDITIONS_DIR, read_edition, spec_from_data

SPEC = spec_from_data(read_edition(EDITIONS_DIR / "2024.json"))


def best_answers() -> dict[str, list[str]]:
    return {
        q.code: [o.code for o in q.options if not o.exclusive]
        if q.multiple
        else [max(q.options, key=lambda o: o.points).code]
        for q in SPEC.questions
    }


def all_levels(level: int) -> dict[str, int]:
    return {s.code: level for s in SPEC.scenarios}


def form_data(answers: dict, levels: dict, action: str = "save") -> dict:
    data: dict = {"action": action}
    for code, chosen in answers.items():
        data[f"q_{code}"] = chosen
    for code, level in levels.items():
        data[f"s_{code}"] = str(level)
    return data
