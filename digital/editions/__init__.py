"""Questionnaire editions as data: one JSON file per edition, loaded by a data migration or by
`manage.py load_questionnaire FILE`. An edition, once assessments use it, is never changed:
a new edition is a new version with its own code."""

import json
from decimal import Decimal
from pathlib import Path

EDITIONS_DIR = Path(__file__).resolve().parent


def read_edition(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def check_edition(data: dict) -> list[str]:
    """Problems of an edition file: points that do not add up, duplicate codes, no options."""
    problems: list[str] = []
    total = Decimal("0")
    codes: set[str] = set()
    for dim in data["dimensions"]:
        dim_max = Decimal(dim["max_points"])
        total += dim_max
        ind_sum = sum((Decimal(i["max_points"]) for i in dim["indicators"]), Decimal("0"))
        if ind_sum != dim_max:
            problems.append(f"维度「{dim['name']}」分值{dim_max}与指标合计{ind_sum}不符")
        for ind in dim["indicators"]:
            q_sum = sum((Decimal(q["max_points"]) for q in ind["questions"]), Decimal("0"))
            if q_sum != Decimal(ind["max_points"]):
                problems.append(f"指标「{ind['name']}」分值与题目合计{q_sum}不符")
            for q in ind["questions"]:
                if q["code"] in codes:
                    problems.append(f"题目代码「{q['code']}」重复")
                codes.add(q["code"])
                if not q["options"]:
                    problems.append(f"题目「{q['text']}」没有选项")
                    continue
                points = [Decimal(o["points"]) for o in q["options"]]
                best = sum(points) if q["kind"] == "multiple" else max(points)
                if best != Decimal(q["max_points"]):
                    problems.append(
                        f"题目「{q['text']}」最高可得{best}分，与分值{q['max_points']}不符"
                    )
    if total != Decimal(data["max_score"]) - Decimal(data["min_score"]):
        problems.append(f"各维度分值合计{total}与满分{data['max_score']}不符")
    return problems


def load_edition(data: dict, *, apps=None) -> tuple[object, bool]:
    """Create the version and its dimensions, indicators, questions, options and scenarios.

    Returns (version, created); an edition already loaded (same code) is left as it is.
    `apps` is the migration state's registry when called from a data migration.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    problems = check_edition(data)
    if problems:
        raise ValueError("；".join(problems))
    Version = apps.get_model("digital", "QuestionnaireVersion")
    Dimension = apps.get_model("digital", "Dimension")
    Indicator = apps.get_model("digital", "Indicator")
    Question = apps.get_model("digital", "Question")
    Option = apps.get_model("digital", "Option")
    Scenario = apps.get_model("digital", "Scenario")
    existing = Version.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing, False
    if data.get("is_current", True):
        Version.objects.filter(is_current=True).update(is_current=False)
    version = Version.objects.create(
        code=data["code"],
        name=data["name"],
        document_no=data.get("document_no", ""),
        rule_set=data["rule_set"],
        effective_from=data["effective_from"],
        effective_to=data.get("effective_to"),
        min_score=Decimal(data["min_score"]),
        max_score=Decimal(data["max_score"]),
        is_current=data.get("is_current", True),
    )
    q_order = 0
    for d_order, dim in enumerate(data["dimensions"]):
        dimension = Dimension.objects.create(
            version=version,
            code=dim["code"],
            name=dim["name"],
            max_points=Decimal(dim["max_points"]),
            order=d_order,
        )
        for i_order, ind in enumerate(dim["indicators"]):
            indicator = Indicator.objects.create(
                dimension=dimension,
                code=ind["code"],
                name=ind["name"],
                max_points=Decimal(ind["max_points"]),
                order=i_order,
            )
            for q in ind["questions"]:
                question = Question.objects.create(
                    version=version,
                    indicator=indicator,
                    code=q["code"],
                    text=q["text"],
                    kind=q["kind"],
                    max_points=Decimal(q["max_points"]),
                    required=q.get("required", True),
                    order=q_order,
                )
                q_order += 1
                Option.objects.bulk_create(
                    Option(
                        question=question,
                        code=o["code"],
                        text=o["text"],
                        points=Decimal(o["points"]),
                        exclusive=o.get("exclusive", False),
                        order=o_order,
                    )
                    for o_order, o in enumerate(q["options"])
                )
    Scenario.objects.bulk_create(
        Scenario(
            version=version,
            code=s["code"],
            group=s["group"],
            name=s["name"],
            mandatory=s["mandatory"],
            order=s_order,
        )
        for s_order, s in enumerate(data["scenarios"])
    )
    return version, True


def spec_from_data(data: dict):
    """The scoring spec of an edition file, without the database (for rules and tests)."""
    from digital import scoring

    return scoring.EditionSpec(
        rule_set=data["rule_set"],
        min_score=Decimal(data["min_score"]),
        max_score=Decimal(data["max_score"]),
        dimensions=tuple(
            (d["code"], d["name"], Decimal(d["max_points"])) for d in data["dimensions"]
        ),
        questions=tuple(
            scoring.QuestionSpec(
                code=q["code"],
                dimension=d["code"],
                text=q["text"],
                multiple=q["kind"] == "multiple",
                max_points=Decimal(q["max_points"]),
                options=tuple(
                    scoring.OptionSpec(o["code"], Decimal(o["points"]), o.get("exclusive", False))
                    for o in q["options"]
                ),
                required=q.get("required", True),
            )
            for d in data["dimensions"]
            for i in d["indicators"]
            for q in i["questions"]
        ),
        scenarios=tuple(
            scoring.ScenarioSpec(s["code"], s["name"], s["mandatory"]) for s in data["scenarios"]
        ),
    )
