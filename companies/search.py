"""Text matching between a citizen's job goal and a task: one definition, two databases.

The text score of a (job goal, task) pair is the share of the job goal's words that
prefix-match a word of the task's *document* (title, description, relieved skilled job,
department and the company's industry):

* PostgreSQL: full-text search with the ``danish`` configuration. The goal is stemmed
  (``to_tsvector('danish', goal)``) and each goal lexeme is looked up as a prefix query
  (``'lexeme':*``) in the task's stored ``search_vector``. Stemming and prefixes make
  "lager" match "lageret" and "lagerarbejde" (Danish compounds).
* SQLite (tests and development): the same rule on plain lower-cased words: a goal word
  (two letters or more, not a stop word) counts when a word of the document starts with it.

On the hand-made test cases (plain Danish words) both give the same scores and so the same
ranking; with inflected words PostgreSQL is more forgiving (stemming).

``match_text_score(goal, doc)`` exists as an SQL function on both databases (a migration
creates it on PostgreSQL, a connection hook registers it on SQLite) so matching can score in
SQL whichever way it ranks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

if TYPE_CHECKING:
    from companies.models import Task

# A short Danish stop-word list for the SQLite path (PostgreSQL's danish config has its own).
_STOP = "og i at på med til af en et den det de der for som er om fra har men eller ved ikke "
_STOP += "jeg vi du han hun kan skal vil også efter over under mv"
STOP_WORDS = frozenset(_STOP.split())

WORD = re.compile(r"\w+", re.UNICODE)

# PostgreSQL: ``doc`` is a tsvector, so a caller passing ``to_tsvector('danish', <constant>)``
# has it computed once per query (constant-folded), not once per row and goal word.
PG_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION match_text_score(goal text, doc tsvector)
RETURNS double precision AS $$
  SELECT COALESCE(AVG(CASE WHEN doc @@ to_tsquery('simple', quote_literal(lex) || ':*')
                       THEN 1.0 ELSE 0.0 END), 0)::double precision
  FROM unnest(tsvector_to_array(to_tsvector('danish', COALESCE(goal, '')))) AS lex
$$ LANGUAGE sql STABLE;
"""
PG_DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS match_text_score(text, tsvector);"
# The first version (migration 0004) took the document as text.
PG_OLD_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION match_text_score(goal text, doc text) RETURNS double precision AS $$
  SELECT COALESCE(AVG(CASE WHEN to_tsvector('danish', COALESCE(doc, ''))
                            @@ to_tsquery('simple', quote_literal(lex) || ':*')
                       THEN 1.0 ELSE 0.0 END), 0)::double precision
  FROM unnest(tsvector_to_array(to_tsvector('danish', COALESCE(goal, '')))) AS lex
$$ LANGUAGE sql STABLE;
"""
PG_DROP_OLD_FUNCTION_SQL = "DROP FUNCTION IF EXISTS match_text_score(text, text);"


def words(text: str | None) -> list[str]:
    """Lower-cased words of ``text`` (the SQLite rule's tokens)."""
    return WORD.findall((text or "").lower())


def goal_words(goal: str | None) -> list[str]:
    """Distinct significant words of a job goal, in order."""
    seen: dict[str, None] = {}
    for word in words(goal):
        if len(word) >= 2 and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def python_text_score(goal: str | None, doc: str | None) -> float:
    """The SQLite definition, in Python (registered as the SQLite SQL function)."""
    tokens = goal_words(goal)
    if not tokens:
        return 0.0
    doc_words = set(words(doc))
    hits = sum(1 for token in tokens if any(w.startswith(token) for w in doc_words))
    return hits / len(tokens)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def goal_terms(goal: str | None) -> list[str]:
    """The goal's terms as the database sees them: Danish lexemes on PostgreSQL (one small
    query), significant lower-cased words on SQLite."""
    if not goal:
        return []
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT tsvector_to_array(to_tsvector('danish', %s))", [goal])
            row = cursor.fetchone()
        return list(row[0] or []) if row else []
    return goal_words(goal)


def goal_terms_expression(field: str) -> Any:
    """``goal_terms`` of a job goal's ``field`` as a column of the goal's own query
    (PostgreSQL: ``tsvector_to_array(to_tsvector('danish', field))``, the same lexemes), or
    None on SQLite, where ``goal_terms`` needs no query."""
    if not is_postgres():
        return None
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import TextField

    vector = Func(Value("danish"), F(field), function="to_tsvector")
    return Func(vector, function="tsvector_to_array", output_field=ArrayField(TextField()))


class MatchTextScore(Func):
    """``match_text_score(goal, doc)`` -> 0..1 (see module docstring). ``doc`` is text; on
    PostgreSQL it is turned into a Danish tsvector before the call."""

    function = "match_text_score"
    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        goal, doc = self.get_source_expressions()
        clone = self.copy()
        clone.set_source_expressions([goal, SearchVector(doc, config="danish")])
        return clone.as_sql(compiler, connection, **extra)


def task_document() -> Any:
    """The task's text as one expression (used for the SQLite rule and as the PostgreSQL
    fallback when ``search_vector`` has not been filled yet)."""
    return Concat(
        F("title"),
        Value(" "),
        F("description"),
        Value(" "),
        F("relieves"),
        Value(" "),
        F("department"),
        Value(" "),
        Coalesce(F("company__industry__label"), Value("")),
    )


def _task_vector() -> Any:
    return SearchVector(
        "title",
        "description",
        "relieves",
        "department",
        Coalesce(F("company__industry__label"), Value("")),
        config="danish",
    )


def task_text_score(terms: list[str], goal: str | None) -> Any:
    """Expression scoring each task row against one job goal (0..1).

    PostgreSQL: one prefix tsquery per goal lexeme against the stored vector (the tsquery
    is a constant, so a row costs a few ``@@`` checks). SQLite: the registered function.
    """
    if not terms:
        return Value(0.0, output_field=FloatField())
    if not is_postgres():
        return MatchTextScore(Value(goal or ""), task_document())
    vector = Coalesce(F("search_vector"), _task_vector())
    hits: Any = None
    for term in terms:
        query = SearchQuery(
            "'" + term.replace("'", "''") + "':*", search_type="raw", config="simple"
        )
        hit = Case(
            When(_Matches(vector, query), then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        hits = hit if hits is None else hits + hit
    return hits / Value(float(len(terms)), output_field=FloatField())


def any_term_tsquery(terms: list[str]) -> str:
    """The raw ``simple`` tsquery text matching a document with any of ``terms`` as a prefix
    (``'a':* | 'b':*``): the tasks whose text score is above 0 (PostgreSQL)."""
    return " | ".join("'" + term.replace("'", "''") + "':*" for term in terms)


def matches_any_term(terms: list[str]) -> Any:
    """``search_vector @@ <any_term_tsquery>`` as a boolean expression (PostgreSQL; the GIN
    index ``task_search_vector_gin`` answers it)."""
    query = SearchQuery(any_term_tsquery(terms), search_type="raw", config="simple")
    return _Matches(F("search_vector"), query)


class _Matches(Func):
    """``vector @@ query`` as a boolean expression usable in When()."""

    template = "(%(expressions)s)"
    arg_joiner = " @@ "

    def __init__(self, vector: Any, query: Any) -> None:
        from django.db.models import BooleanField

        super().__init__(vector, query, output_field=BooleanField())


def refresh_task_vectors(tasks: QuerySet[Task] | Iterable[int]) -> None:
    """Fill ``search_vector`` and ``company_postal_code`` (matching's pruning column) for the
    given tasks (a queryset or task ids). PostgreSQL only; a no-op on SQLite. Call after
    creating or editing tasks, or changing a company's industry or postal code."""
    if not is_postgres():
        return
    from companies.models import Company, Task

    qs = tasks if isinstance(tasks, QuerySet) else Task.objects.filter(pk__in=list(tasks))
    company = Company.objects.filter(pk=OuterRef("company_id"))
    industry = Subquery(company.values("industry__label")[:1])
    Task.objects.filter(pk__in=qs.values_list("pk", flat=True)).update(
        company_postal_code=Subquery(company.values("postal_code")[:1]),
        search_vector=SearchVector(
            "title",
            "description",
            "relieves",
            "department",
            Coalesce(industry, Value("")),
            config="danish",
        ),
    )


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created hook: define match_text_score on SQLite connections."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "match_text_score", 2, python_text_score, deterministic=True
        )
