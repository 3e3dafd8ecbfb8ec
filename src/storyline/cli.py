"""The `storyline` command: parse arguments, call `storyline.api`, print (rich tables or --json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import api
from .records import Article, Document, Rejection, Story
from .similarity.embed import EmbeddingUnavailable
from .store import StoreError

app = typer.Typer(
    help="storyline: news articles in, stories out, every fact traced to its sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Evaluate storyline on public benchmarks.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

# Piped output is not cut to 80 columns: tables stay one row per item, readable in files and logs.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="Database file (default: $STORYLINE_DB or ./storyline.db).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def _open(db: str | None, workers: int | None = None, embedding_model: str | None = None) -> api.Storyline:
    try:
        return api.open(db, workers=workers, embedding_model=embedding_model)
    except (StoreError, ValueError, EmbeddingUnavailable) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def _evaluated(evaluate: Any, directory: Path, **options: Any) -> dict[str, Any]:
    """`evaluate(directory, **options)`; a folder that is not of the expected layout (missing, unreadable, a
    malformed ground truth) is an error message and exit code 2, not a traceback."""
    try:
        return evaluate(directory, **options)
    except (OSError, ValueError, KeyError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        err.print(f"[red]error:[/red] {detail if str(directory) in detail else f'{directory}: {detail}'}")
        raise typer.Exit(2) from None


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _published(a: Article) -> str:
    p = a.published
    if p.date:
        return p.date
    if p.earliest or p.latest:
        return f"{p.earliest or '?'}..{p.latest or '?'}"
    return ""


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, URLs, or - for standard input.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", min=0, show_default=False,
        help="Processes that analyse while this one stores (0: none; default: up to 2 on a large input). "
             "The result is the same.",
    )] = None,
    embedding_model: Annotated[Optional[str], typer.Option(
        "--embedding-model", show_default=False,
        help="A sentence-transformers model saved on disk whose embeddings join the grouping evidence "
             "(optional; needs sentence-transformers). Chosen when the database is created; it remembers it.",
    )] = None,
) -> None:
    """Read, analyse, store and group articles. Safe to re-run: nothing is stored twice."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with _open(db, workers, embedding_model) as sl:
        show = err.is_terminal and not as_json
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} inputs"),
            TimeElapsedColumn(), console=err, disable=not show, transient=True,
        ) as progress:
            task = progress.add_task("ingesting", total=None)
            report = sl.ingest(paths, progress=lambda outcome: progress.advance(task))
        if as_json:
            _print_json(report.to_dict())
            return
        c = report.counts
        out.print(
            f"{report.total} inputs: [green]{c['stored']} stored[/green], "
            f"{c['duplicate']} duplicate, [red]{c['rejected']} rejected[/red]  (run {report.run_id})"
        )
        for o in report.rejected[:20]:
            out.print(f"  rejected {o.source}: {o.reason}")
        if len(report.rejected) > 20:
            out.print(f"  ... and {len(report.rejected) - 20} more: see `storyline rejected`")


@app.command()
def articles(
    db: DbOption = None,
    as_json: JsonOption = False,
    limit: Annotated[Optional[int], typer.Option(help="Show at most this many.")] = None,
) -> None:
    """List stored articles in ingest order."""
    with _open(db) as sl:
        rows = [(a, sl.stories_of(a.id)) for a in sl.articles(limit=limit)]
        if as_json:
            _print_json([
                {
                    "id": a.id, "source": a.source, "title": a.title, "language": a.language,
                    "published": a.published.to_dict(), "outlet": a.outlet, "wire": a.wire, "url": a.url,
                    "stories": stories,
                    "copy_of": (c.to_dict() if (c := sl.copy_of(a.id)) else None),
                }
                for a, stories in rows
            ])
            return
        table = Table("id", "date", "lang", "outlet", "title", "stories")
        table.columns[0].no_wrap = True
        for a, stories in rows:
            table.add_row(a.id, _published(a), a.language or "", a.outlet or "", a.title or "", " ".join(stories))
        out.print(table)


def _story_json(sl: api.Storyline, s: Story) -> dict[str, Any]:
    d = sl.describe(s)
    return {**d, "size": d["n_articles"], "sources": d["independent_sources"]}


@app.command()
def stories(
    db: DbOption = None,
    as_json: JsonOption = False,
    level: Annotated[Optional[str], typer.Option(help="event or storyline (default: both).")] = None,
    show_articles: Annotated[bool, typer.Option("--articles", help="List each story's articles.")] = False,
) -> None:
    """List stories, largest first."""
    if level not in (None, "event", "storyline"):
        err.print("[red]error:[/red] --level is 'event' or 'storyline'")
        raise typer.Exit(2)
    with _open(db) as sl:
        found = sl.stories(level)
        if as_json:
            _print_json([_story_json(sl, s) for s in found])
            return
        if not found:
            out.print("no stories yet: run `storyline ingest PATH` first")
            return
        for s in found:
            out.print(_story_line(sl.describe(s)))
            if show_articles:
                _print_story_articles(sl, s)


def _story_line(d: dict[str, Any]) -> str:
    return (
        f"[bold]{d['level']} {d['id']}[/bold]  {d['first'] or '?'} .. {d['last'] or '?'}  {d['n_articles']} article(s), "
        f"{d['independent_sources']} source(s), {', '.join(d['languages']) or '?'}  [cyan]{d['label']}[/cyan]"
    )


def _print_story_articles(sl: api.Storyline, s: Story) -> None:
    for aid in s.articles:
        a = sl.article(aid)
        if a:
            out.print(f"    {_published(a):<22} {(a.outlet or '-'):<18} {a.title or a.source}")


@app.command()
def story(story_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show one story and its articles."""
    with _open(db) as sl:
        s = sl.story(story_id)
        if s is None:
            err.print(f"[red]error:[/red] no story {story_id!r}; `storyline stories` lists them")
            raise typer.Exit(1)
        if as_json:
            arts = [sl.article(a) for a in s.articles]
            _print_json({
                **_story_json(sl, s),
                "article_details": [
                    {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published.to_dict(),
                     "source": a.source, "copy_of": (c.original_id if (c := sl.copy_of(a.id)) else None)}
                    for a in arts if a
                ],
            })
            return
        d = sl.describe(s)
        out.print(_story_line(d))
        out.print(f"  outlets: {', '.join(d['outlets']) or '-'}")
        _print_story_articles(sl, s)


@app.command()
def search(query: str, db: DbOption = None, as_json: JsonOption = False, limit: int = 20) -> None:
    """Full-text search over titles and bodies."""
    with _open(db) as sl:
        hits = sl.search(query, limit=limit)
        if as_json:
            _print_json([{"id": a.id, "title": a.title, "source": a.source, "snippet": snip} for a, snip in hits])
            return
        for a, snip in hits:
            out.print(f"[bold]{a.id}[/bold] {a.title or a.source}\n    {snip}")
        if not hits:
            out.print("no match")


@app.command()
def analyze(
    files: Annotated[list[str], typer.Argument(help="Files (.txt, .html, .jsonl...), folders, or -.")],
    published: Annotated[Optional[str], typer.Option(help="Publication date where the input gives none.")] = None,
    language: Annotated[Optional[str], typer.Option(help="Language where the input gives none.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Analyse documents without storing them (JSON Lines with --json)."""
    for f in files:
        for item in api.analyze(Path(f) if f != "-" else f, published=published, language=language):
            if as_json:
                sys.stdout.write(json.dumps(_analysis_json(item), ensure_ascii=False) + "\n")
            elif isinstance(item, Rejection):
                out.print(f"[red]rejected[/red] {item.source}: {item.reason}")
            else:
                _print_analysis(item)


def _analysis_json(item: Document | Rejection) -> dict[str, Any]:
    if isinstance(item, Rejection):
        return {"source": item.source, "rejected": {"code": item.code, "reason": item.reason}}
    return item.to_dict()


def _print_analysis(doc: Document) -> None:
    p = doc.published
    out.print(f"[bold]{doc.title or doc.source}[/bold]")
    out.print(f"  source {doc.source}  id {doc.id}  language {doc.language}  outlet {doc.outlet}  wire {doc.wire}")
    out.print(f"  published {p.date or '?'} ({p.earliest}..{p.latest}): {p.evidence}")
    out.print(f"  body: {len(doc.body)} block(s), {sum(e - s for s, e in doc.body)} characters; removed {len(doc.removed)}")
    for e in doc.errors:
        out.print(f"  [yellow]{e['stage']}[/yellow]: {e['error']}")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet.")] = "jsonl",
    out_path: Annotated[str, typer.Option("--out", help="Output file.")] = "storyline-export.jsonl",
    db: DbOption = None,
) -> None:
    """Export stored articles with their stories."""
    with _open(db) as sl:
        try:
            n = sl.export(fmt, out_path)
        except (ValueError, RuntimeError) as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        out.print(f"wrote {n} article(s) to {out_path}")


@app.command()
def rejected(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Inputs that were rejected, and why."""
    with _open(db) as sl:
        rows = sl.rejected()
        if as_json:
            _print_json([{"source": o.source, "code": o.code, "reason": o.reason} for o in rows])
            return
        table = Table("source", "code", "reason")
        for o in rows:
            table.add_row(o.source, o.code or "", o.reason or "")
        out.print(table if rows else "no rejected inputs")


@app.command()
def entities(
    db: DbOption = None,
    as_json: JsonOption = False,
    type_: Annotated[Optional[str], typer.Option("--type", help="PER, ORG, GPE or LOC.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Show at most this many.")] = None,
) -> None:
    """Canonical entities, most mentioned first, with their spelling variants."""
    with _open(db) as sl:
        rows = sl.entities(type_.upper() if type_ else None, limit)
        if as_json:
            _print_json(rows)
            return
        table = Table("id", "type", "canonical", "mentions", "articles", "variants")
        for e in rows:
            table.add_row(e["id"], e["type"], e["canonical"], str(e["mentions"]), str(e["articles"]),
                          ", ".join(v for v in e["variants"] if v != e["canonical"]))
        out.print(table if rows else "no entities yet")


@app.command()
def entity(name: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One entity (by id, canonical name or any variant): variants, mentions per article, stories, roles."""
    with _open(db) as sl:
        e = sl.entity(name)
        if e is None:
            err.print(f"[red]error:[/red] no entity {name!r}; `storyline entities` lists them")
            raise typer.Exit(1)
        if as_json:
            _print_json(e)
            return
        out.print(f"[bold]{e['canonical']}[/bold] ({e['type']}, {e['id']}): {e['mentions']} mention(s) in {e['articles']} article(s)")
        out.print("  variants: " + ", ".join(f"{v} ×{n}" for v, n in e["variants"].items()))
        if e["roles"]:
            out.print("  roles: " + "; ".join(e["roles"]))
        for aid, ms in e["mentions_by_article"].items():
            a = sl.article(aid)
            out.print(f"  {aid} {a.title if a else ''}: " + ", ".join(f"{m['text']}@{m['start']}" for m in ms))
        if e["stories"]:
            out.print("  stories: " + " ".join(e["stories"]))


@app.command()
def quotes(
    db: DbOption = None,
    as_json: JsonOption = False,
    speaker: Annotated[Optional[str], typer.Option(help="Only quotes of this speaker (any name variant).")] = None,
    story_id: Annotated[Optional[str], typer.Option("--story", help="Only quotes from this story's articles.")] = None,
) -> None:
    """Who said what: quotations with their speakers, with provenance."""
    with _open(db) as sl:
        rows = sl.quotes(speaker=speaker, story_id=story_id)
        if as_json:
            _print_json(rows)
            return
        for q in rows:
            out.print(f"[bold]{q.get('speaker') or '?'}[/bold] ({q['kind']}, {q['article_id']}@{q['start']}): « {q['text']} »")
        if not rows:
            out.print("no quotes")


@app.command()
def events(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Happenings merged across the stored articles, in date order, with all their sources."""
    with _open(db) as sl:
        rows = [e.to_dict() for e in sl.events()]
        if as_json:
            _print_json(rows)
            return
        for e in rows:
            out.print(f"{e.get('date') or '?':<12} [bold]{e['type']:<10}[/bold] {e.get('description') or ''}  "
                      f"({len(e['sources'])} report(s), {e.get('independent_sources')} source(s))")


@app.command()
def timeline(story_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """A story's events in date order, each with its sources, and a short summary."""
    with _open(db) as sl:
        try:
            t = sl.timeline(story_id).to_dict()
        except KeyError:
            err.print(f"[red]error:[/red] no story {story_id!r}; `storyline stories` lists them")
            raise typer.Exit(1) from None
        if as_json:
            _print_json(t)
            return
        out.print(f"[bold]{t.get('label')}[/bold]")
        if t.get("summary"):
            out.print(f"  {t['summary']}")
        for e in t["events"]:
            outlets = sorted({s.get("outlet") or "-" for s in e["sources"]})
            out.print(f"  {e.get('date') or '?':<12} {e['type']:<10} {e.get('description') or ''}  [{', '.join(outlets)}]")


@app.command()
def copies(article_id: str, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Syndication: the original an article copies, and the copies of it."""
    with _open(db) as sl:
        of = sl.copy_of(article_id)
        copies_ = sl.copies_of(article_id)
        if as_json:
            _print_json({"copy_of": of.to_dict() if of else None, "copies": [c.to_dict() for c in copies_]})
            return
        out.print(f"copy of: {of.original_id} ({of.kind}, {of.score:.2f})" if of else "not a copy")
        for c in copies_:
            out.print(f"  copied by {c.article_id} ({c.kind}, {c.score:.2f})")


@app.command()
def similar(
    a: Annotated[Optional[Path], typer.Argument(help="First article file.")] = None,
    b: Annotated[Optional[Path], typer.Argument(help="Second article file.")] = None,
    pairs: Annotated[Optional[Path], typer.Option("--pairs", help="CSV with text1,text2 columns.")] = None,
    as_json: JsonOption = False,
) -> None:
    """How similar two articles are: score in [0,1], same event, same storyline, shared entities."""
    from .similarity import similarity, similarity_pairs

    if pairs is not None:
        rows = similarity_pairs(pairs)
    elif a is not None and b is not None:
        docs = []
        for path in (a, b):
            found = [d for d in api.analyze(path) if not isinstance(d, Rejection)]
            if not found:
                err.print(f"[red]error:[/red] {path}: no article could be read")
                raise typer.Exit(2)
            docs.append(found[0])
        da, db_ = docs
        rows = [similarity(
            f"{da.title or ''}\n\n{da.body_text()}", f"{db_.title or ''}\n\n{db_.body_text()}",
            da.language, db_.language, a_url=da.url, b_url=db_.url, a_outlet=da.outlet, b_outlet=db_.outlet,
        ).to_dict()]
    else:
        err.print("[red]error:[/red] give two files, or --pairs FILE.csv")
        raise typer.Exit(2)
    if as_json:
        _print_json(rows[0] if pairs is None else rows)
        return
    for r in rows:
        out.print(f"{r.get('id', '')} score {r['score']:.3f}  same event: {r['same_event']}  "
                  f"same storyline: {r['same_storyline']}  shared: {', '.join(map(str, r.get('shared_entities', [])))}")


@eval_app.command("extraction")
def eval_extraction(directory: Path, as_json: JsonOption = False) -> None:
    """Article-extraction benchmark (folder with html/*.html.gz and ground-truth.json)."""
    from .evaluation.extraction import evaluate_extraction

    result = _evaluated(evaluate_extraction, directory)
    if as_json:
        _print_json(result)
        return
    table = Table("system", "precision", "recall", "F1", "pages/s")
    for name in ("storyline", "trafilatura"):
        r = result[name]
        table.add_row(name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}", f"{r['pages_per_s']:.1f}")
    out.print(f"{result['pages']} pages")
    out.print(table)


@eval_app.command("boilerplate")
def eval_boilerplate(
    directory: Path,
    as_json: JsonOption = False,
    details: Annotated[bool, typer.Option("--details", help="List the wrongly decided lines.")] = False,
) -> None:
    """Line-level boilerplate removal: the extraction benchmark's pages dumped as text, or labelled texts."""
    from .evaluation.boilerplate import evaluate_boilerplate

    result = _evaluated(evaluate_boilerplate, directory, details=details)
    if as_json:
        _print_json(result)
        return
    table = Table("language", "docs", "lines", "boilerplate P", "R", "F1", "body P", "R", "F1")
    for code, r in [("all", result), *result["by_language"].items()]:
        b, k = r["boilerplate"], r["body"]
        table.add_row(code, str(r.get("documents", "")), str(r["lines"]), f"{b['precision']:.3f}", f"{b['recall']:.3f}",
                      f"{b['f1']:.3f}", f"{k['precision']:.3f}", f"{k['recall']:.3f}", f"{k['f1']:.3f}")
    out.print(table)
    for name, errors in result.get("errors", {}).items():
        for e in errors:
            out.print(f"{name}:{e['line']} {e['label']} ({e['reason'] or 'kept'}) {e['text']}", markup=False)


@eval_app.command("timex")
def eval_timex(directory: Path, as_json: JsonOption = False) -> None:
    """TempEval-3 metrics on a folder of TimeML files (strict and relaxed extraction, value F1)."""
    from .evaluation.timex import evaluate_timex

    result = _evaluated(evaluate_timex, directory)
    if as_json:
        _print_json(result)
        return
    table = Table("measure", "precision", "recall", "F1")
    for name in ("strict", "relaxed", "value"):
        r = result[name]
        table.add_row(name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}")
    out.print(f"{result['documents']} documents, {result['gold']} gold and {result['predicted']} predicted expressions")
    out.print(table)


@eval_app.command("quotes")
def eval_quotes(directory: Path, as_json: JsonOption = False) -> None:
    """Direct quotations and speakers on a folder in the layout of PolNeAR (<split>/text, <split>/attributions)."""
    from .evaluation.quotes import evaluate_quotes

    result = _evaluated(evaluate_quotes, directory)
    if as_json:
        _print_json(result)
        return
    for key in ("precision", "recall", "f1", "speaker_accuracy", "articles_per_s"):
        if key in result:
            out.print(f"{key:>18}: {result[key]:.3f}")


@eval_app.command("similarity")
def eval_similarity(directory: Path, as_json: JsonOption = False) -> None:
    """Pearson correlation with SemEval-2022 Task 8 human scores, overall and per language pair."""
    from .evaluation.similarity import evaluate_similarity

    result = _evaluated(evaluate_similarity, directory)
    if as_json:
        _print_json(result)
        return
    out.print(json.dumps(result, indent=2, ensure_ascii=False, default=str))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
