"""Matching technology demands to universities and institutes (需求与高校院所精准匹配).

The seed asks for "供需双方的精准匹配". For one demand, every institution is scored by

* field fit: the demand's technology field is among the institution's research fields;
* text fit: TF-IDF cosine similarity between the demand's words (title counted twice) and the
  institution's research fields and capabilities, words cut by jieba's own dictionary (loaded
  offline from the package, lazily on first use), IDF computed over the institutions ranked;

and the result carries the reasons in Chinese (which field fits, which words are shared).
Plain values in, plain values out: no database, no settings.
"""

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

FIELD_WEIGHT = 35.0  # points for a field that fits, of 100
TEXT_WEIGHT = 65.0  # points for identical word profiles, of 100
TITLE_REPEAT = 2  # the demand's title words count this many times
MAX_SHARED_SHOWN = 6

# Words too general to tell one institution from another in this domain.
STOPWORDS = frozenset(
    """
    技术 需求 需要 研发 开发 研究 企业 公司 我司 我们 希望 合作 支持 提高 提升 实现 进行
    解决 问题 相关 以及 产品 生产 开展 方面 能力 具有 通过 用于 工作 目前 存在 缺少 经验
    领域 应用 方向 包括 主要 等等 一个 一些 这个 这些 其他 及其 等 和 与 及 的 了 在 为 对
    """.split()
)

# Domain words jieba's general dictionary does not hold as one word.
DOMAIN_WORDS = (
    "集成电路",
    "化合物半导体",
    "氮化镓",
    "碳化硅",
    "砷化镓",
    "功率器件",
    "射频",
    "毫米波",
    "微波",
    "封装测试",
    "微显示",
    "热成像",
    "红外",
    "机器视觉",
    "计算机视觉",
    "深度学习",
    "语音识别",
    "工业机器人",
    "非织造",
    "印染废水",
    "轻量化",
    "光伏",
    "益生菌",
    "冻干",
    "碳纤维",
    "复合材料",
    "保温材料",
    "电机控制",
    "电磁兼容",
    "煤矸石",
    "固废",
    "粉尘",
    "大数据",
    "数据采集",
    "流片",
    "芯片设计",
    "模拟芯片",
    "外延",
    "光谱仪器",
    "在线监测",
    "可靠性",
    "失效分析",
)

_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+\-]*")


@dataclass(frozen=True)
class InstitutionProfile:
    """What the ranking knows of an institution."""

    id: int
    name: str
    fields: tuple[str, ...]  # research field labels, e.g. ("集成电路", "光电显示")
    capabilities: str = ""


@dataclass(frozen=True)
class DemandProfile:
    """What the ranking knows of a demand: its text and its field label ("集成电路")."""

    title: str
    description: str = ""
    field: str = ""


@dataclass(frozen=True)
class MatchResult:
    institution_id: int
    institution_name: str
    score: float  # 0–100
    field_fit: bool
    shared_terms: tuple[str, ...]
    reasons: tuple[str, ...] = field(default=())


@cache
def _tokenizer():
    """jieba's tokenizer with its bundled dictionary (no network) and our domain words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # dictionary: jieba/dict.txt inside the package
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, freq=20000)
    return tokenizer


def split_fields(text: str) -> tuple[str, ...]:
    """'集成电路、光电显示, 电子信息' → ('集成电路', '光电显示', '电子信息')."""
    parts = re.split(r"[、,，;；/\s]+", text or "")
    return tuple(p for p in (part.strip() for part in parts) if p)


def tokens(text: str) -> list[str]:
    """Meaningful words of `text`: jieba search-mode words of two or more characters, ASCII
    words lower-cased, stop words and numbers dropped."""
    if not text:
        return []
    result: list[str] = []
    for ascii_word in _ASCII_WORD.findall(text):
        if len(ascii_word) >= 2:
            result.append(ascii_word.lower())
    for word in _tokenizer().cut_for_search(text, HMM=False):
        word = word.strip()
        if len(word) < 2 or word in STOPWORDS or word.isdigit() or _ASCII_WORD.fullmatch(word):
            continue
        if not any("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        result.append(word)
    return result


def _weights(counts: Counter, idf: dict[str, float], default_idf: float) -> dict[str, float]:
    return {term: (1 + math.log(n)) * idf.get(term, default_idf) for term, n in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(weight * b[term] for term, weight in a.items() if term in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def rank_institutions(
    demand: DemandProfile,
    institutions: Sequence[InstitutionProfile],
    *,
    limit: int | None = 5,
) -> list[MatchResult]:
    """Institutions ordered by fit to `demand`, best first (score 0–100, ties by name);
    institutions with no fit at all (score 0) are left out."""
    if not institutions:
        return []
    docs = [
        Counter(tokens(" ".join(inst.fields) + " " + inst.capabilities)) for inst in institutions
    ]
    n = len(docs)
    df = Counter(term for doc in docs for term in doc)
    idf = {term: math.log((n + 1) / (count + 1)) + 1 for term, count in df.items()}
    default_idf = math.log(n + 1) + 1  # a word no institution uses
    demand_counts = Counter(tokens(demand.title) * TITLE_REPEAT + tokens(demand.description))
    demand_vector = _weights(demand_counts, idf, default_idf)

    results = []
    for inst, doc in zip(institutions, docs, strict=True):
        field_fit = bool(demand.field) and demand.field in inst.fields
        similarity = _cosine(demand_vector, _weights(doc, idf, default_idf))
        score = round(FIELD_WEIGHT * field_fit + TEXT_WEIGHT * similarity, 2)
        if score <= 0:
            continue
        shared = sorted(
            (t for t in demand_vector if t in doc),
            key=lambda t: (-demand_vector[t], t),
        )[:MAX_SHARED_SHOWN]
        results.append(
            MatchResult(
                institution_id=inst.id,
                institution_name=inst.name,
                score=score,
                field_fit=field_fit,
                shared_terms=tuple(shared),
                reasons=_reasons(demand, field_fit, shared),
            )
        )
    results.sort(key=lambda r: (-r.score, r.institution_name))
    return results if limit is None else results[:limit]


def _reasons(demand: DemandProfile, field_fit: bool, shared: Iterable[str]) -> tuple[str, ...]:
    reasons = []
    if field_fit:
        reasons.append(f"研究领域包含「{demand.field}」，与需求领域一致")
    shared = list(shared)
    # Search mode yields both 氮化镓 and 氮化: name only the longest form of each word.
    shared = [t for t in shared if not any(t != o and t in o for o in shared)]
    if shared:
        reasons.append("技术能力与需求共有关键词：" + "、".join(shared))
    else:
        reasons.append("技术能力描述与需求没有共同关键词")
    return tuple(reasons)


# --- Evaluation on a labelled set ------------------------------------------------------------


@dataclass(frozen=True)
class LabelledDemand:
    demand: DemandProfile
    expected: str  # the institution name a domain expert would contact first


@dataclass(frozen=True)
class Evaluation:
    cases: int
    hits_at_1: int
    hits_at_3: int
    reciprocal_rank_sum: float
    misses: tuple[tuple[str, str, str], ...]  # (demand title, expected, ranked first)

    @property
    def precision_at_1(self) -> float:
        """Share of demands whose first-ranked institution is the labelled one."""
        return self.hits_at_1 / self.cases if self.cases else 0.0

    @property
    def hit_rate_at_3(self) -> float:
        return self.hits_at_3 / self.cases if self.cases else 0.0

    @property
    def mean_reciprocal_rank(self) -> float:
        return self.reciprocal_rank_sum / self.cases if self.cases else 0.0


def evaluate(
    cases: Sequence[LabelledDemand], institutions: Sequence[InstitutionProfile]
) -> Evaluation:
    """Precision@1, hit rate@3 and mean reciprocal rank of the ranking on labelled demands."""
    hits1 = hits3 = 0
    rr = 0.0
    misses = []
    for case in cases:
        ranked = [
            r.institution_name for r in rank_institutions(case.demand, institutions, limit=None)
        ]
        if case.expected in ranked:
            rank = ranked.index(case.expected) + 1
            rr += 1 / rank
            hits1 += rank == 1
            hits3 += rank <= 3
        if not ranked or ranked[0] != case.expected:
            misses.append((case.demand.title, case.expected, ranked[0] if ranked else ""))
    return Evaluation(len(cases), hits1, hits3, rr, tuple(misses))
