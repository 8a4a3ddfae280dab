"""The `qa` command line. Heavy libraries load inside the commands, so `qa --help` is instant."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from qa.errors import QAError
from qa.settings import Settings

EPILOG = """examples:
  qa ingest data/transcripts            build or update the store
  qa ask "How many Azerbaijani students study in Russia?"
  qa ask "Which countries mentioned the Black Sea Grain Initiative?"
                                        every speaker who named it, one quote each
  qa ask "What did Kirby say about Ukraine in February 2023?"
                                        his sentences on it, dated, in order
  qa eval data/gold/test.jsonl --report reports/
  qa chat                               web chat on http://127.0.0.1:7860
  qa ask "What did Zakharova say about Nagorno-Karabakh?" --reader llm
                                        a generated answer, every quote verified

Every flag has a QA_* environment variable; `qa settings` lists them."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="DIR", help="store folder (QA_STORE, default .store)")
    p.add_argument("--chroma-url", metavar="URL", help="use a Chroma server instead of the embedded store (QA_CHROMA_URL)")
    p.add_argument("--chroma-token", metavar="TOKEN", help="auth token for the Chroma server (QA_CHROMA_TOKEN)")
    p.add_argument("--debug", action="store_true", help="show tracebacks")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--speaker", help="only passages of this speaker label (e.g. 'Mr. Kirby', 'Azerbaijan'; the chat's Speaker list shows them)")
    p.add_argument("--source", help="only this document (its source path)")
    p.add_argument("--since", metavar="DATE", help="only documents dated on or after DATE (YYYY[-MM[-DD]])")
    p.add_argument("--until", metavar="DATE", help="only documents dated on or before DATE")


def _reader(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reader", choices=("extractive", "llm"),
                   help="extractive span (default) or a chat model's answer with verified quotes (QA_READER)")
    p.add_argument("--llm", metavar="SPEC", help="chat model for --reader llm: local (default, SmolLM2-135M), "
                   "gguf:FILE, ollama:NAME[@URL] or openai:MODEL@URL (QA_LLM)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa", description="Answers questions about diplomatic transcripts, citing the exact passage.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help="add or update transcripts (.txt .md .html .pdf) in the store")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    _common(p)

    p = sub.add_parser("ask", help="answer a question with citations", epilog=(
        "A question is read as a factoid (a short answer), a list (\"Which countries/officials mentioned X?\": "
        "every speaker who named it) or statements (\"What did SPEAKER say about X [in DATES]?\"). Speakers "
        "and dates named in the question are shown under 'read as'; --speaker/--since/--until replace them."))
    p.add_argument("question")
    p.add_argument("-k", type=int, help="passages to cite (QA_K, default 5)")
    p.add_argument("--json", action="store_true", help="print the Answer as one JSON object")
    _filters(p)
    _reader(p)
    _common(p)

    p = sub.add_parser("stats", help="documents, paragraphs and model of the store")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("remove", help="delete one document from the store")
    p.add_argument("source", help="the document's source path, as `qa stats --docs` lists it")
    _common(p)

    p = sub.add_parser("eval", help="score answers against a gold question set (JSON Lines)")
    p.add_argument("gold", type=Path, nargs="?", help="gold .jsonl file")
    p.add_argument("--squad", type=Path, metavar="FILE", help="score a SQuAD 2.0 JSON file in a fresh store instead")
    p.add_argument("-k", type=int, help="passages to retrieve and cite")
    p.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    p.add_argument("--report", type=Path, metavar="DIR", help="write report.md, report.json and charts here")
    p.add_argument("--floors", type=Path, metavar="FILE",
                   help="exit 1 if a metric misses its floor in this JSON file (data/gold/floors.json: CI's gate)")
    _reader(p)
    _common(p)

    p = sub.add_parser("chat", help="start the web chat")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (needed when --host is not loopback)")
    p.add_argument("--no-auth", action="store_true", help="allow a non-loopback --host without a login")
    _reader(p)
    _common(p)

    sub.add_parser("settings", help="list every QA_* setting with its default")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        settings = Settings.from_env(
            store=getattr(args, "store", None), chroma_url=getattr(args, "chroma_url", None),
            chroma_token=getattr(args, "chroma_token", None), k=getattr(args, "k", None),
            reader=getattr(args, "reader", None), llm=getattr(args, "llm", None),
        )
        return COMMANDS[args.command](args, settings) or 0
    except QAError as err:
        if getattr(args, "debug", False):
            raise
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # the last line of defence: one line unless --debug
        if getattr(args, "debug", False):
            raise
        print(f"error: {type(err).__name__}: {err} (run with --debug for the traceback)", file=sys.stderr)
        return 1


# --- commands ---------------------------------------------------------------


def cmd_ingest(args, settings: Settings) -> int:
    from qa.engine import Engine
    from qa.errors import ConfigError

    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:  # a typo in a path fails, as cp or ls would, before any store is created
        raise ConfigError(f"No such file or folder: {', '.join(missing)}")
    report = Engine(settings).ingester(progress=not args.json and sys.stderr.isatty()).run(args.paths)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(
            f"files read: {report.files_read}, skipped: {len(report.files_skipped)}\n"
            f"paragraphs added: {report.paragraphs_added}, unchanged: {report.paragraphs_unchanged}, "
            f"removed: {report.paragraphs_removed}; sentences embedded: {report.sentences_embedded}\n"
            f"{report.seconds:.1f} s, {report.paragraphs_per_second:.1f} paragraphs/s, store: {settings.chroma_url or settings.store}"
        )
        for s in report.files_skipped:
            print(f"  skipped {s.path}: {s.reason}")
        if not report.files_read:
            print(f"no transcripts (.txt .md .html .pdf) found in {', '.join(str(p) for p in args.paths)}")
    return 0


def cmd_stats(args, settings: Settings) -> int:
    from qa.engine import Engine

    stats = Engine(settings).stats()
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        print(f"documents: {stats['documents']}\nparagraphs: {stats['paragraphs']} ({stats['records']} records with windows)\n"
              f"model: {stats['model']}\nstore: {stats['store']}")
    return 0


def cmd_remove(args, settings: Settings) -> int:
    from qa.engine import Engine

    n = Engine(settings).ingester().remove(args.source)
    if n == 0:
        print(f"error: no document {args.source!r} in the store (see `qa stats --json`)", file=sys.stderr)
        return 4
    print(f"removed {args.source}: {n} paragraphs")
    return 0


def cmd_ask(args, settings: Settings) -> int:
    from qa.engine import Engine
    from qa.render import render_answer

    filters = {k: getattr(args, k) for k in ("speaker", "source", "since", "until") if getattr(args, k)}
    live = not args.json and sys.stderr.isatty()
    for event in Engine(settings).stream(args.question, k=settings.k, filters=filters or None):
        if isinstance(event, str):
            if live:  # the model's words as they come; the verified answer follows on stdout
                print(event, end="", file=sys.stderr, flush=True)
            continue
        answer = event
    if live and answer.generated:
        print("\n", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_answer(answer, color=sys.stdout.isatty()))
    return 0


def cmd_eval(args, settings: Settings) -> int:
    from qa.evaluate.run import run_eval_command

    return run_eval_command(args, settings)


def cmd_chat(args, settings: Settings) -> int:
    from ui.app import launch

    launch(settings, host=args.host, port=args.port, auth=args.auth, no_auth=args.no_auth)
    return 0


def cmd_settings(args, settings: Settings) -> int:
    for env, help, default in Settings.describe():
        print(f"{env:24} {str(default):12} {help}")
    return 0


COMMANDS = {
    "ingest": cmd_ingest, "stats": cmd_stats, "remove": cmd_remove, "ask": cmd_ask,
    "eval": cmd_eval, "chat": cmd_chat, "settings": cmd_settings,
}

if __name__ == "__main__":
    sys.exit(main())
