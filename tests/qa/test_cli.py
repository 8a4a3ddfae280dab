"""The command line: fast help, one-line errors with exit codes, documented JSON."""

import subprocess
import sys
from pathlib import Path

import pytest

from qa.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_help_does_not_import_heavy_libraries():
    code = ("import sys, qa.cli; qa.cli.build_parser().format_help(); "
            "heavy = [m for m in ('torch', 'gradio', 'chromadb', 'spacy', 'langchain_core') if m in sys.modules]; "
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_help_lists_the_commands():
    out = run("--help").stdout
    for cmd in ("ingest", "ask", "stats", "remove", "eval", "chat"):
        assert cmd in out


@pytest.mark.parametrize("question, message", [
    ("   ", "The question is empty"),
    ("x" * 2001, "the limit is 2,000"),
    ("what\x07 happened?", "control characters"),
])
def test_bad_questions_exit_2_with_one_line(question, message, tmp_path, capsys):
    assert main(["ask", question, "--store", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_store_is_a_clear_error(tmp_path, capsys):
    assert main(["ask", "Who spoke?", "--store", str(tmp_path / "none")]) == 3
    err = capsys.readouterr().err
    assert "No store at" in err and "qa ingest" in err
    assert not (tmp_path / "none").exists()  # reading never creates a store


def test_empty_store_is_a_clear_error(tmp_path, capsys):
    from vectorstore.store import Store

    Store(tmp_path / "s").client  # a Chroma folder without our collection
    assert main(["stats", "--store", str(tmp_path / "s")]) == 3
    assert "holds no transcripts yet" in capsys.readouterr().err


def test_bad_setting_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QA_RETRIEVAL", "magic")
    assert main(["stats", "--store", str(tmp_path)]) == 2
    assert "QA_RETRIEVAL='magic'" in capsys.readouterr().err


def test_settings_lists_every_variable(capsys):
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "QA_STORE" in out and "QA_MIN_CONFIDENCE" in out


def test_a_bad_llm_spec_is_named_before_anything_loads(tmp_path, capsys):
    assert main(["ask", "Who?", "--store", str(tmp_path), "--reader", "llm", "--llm", "gpt4"]) == 2
    assert "QA_LLM='gpt4' is not a model spec" in capsys.readouterr().err


def test_ingest_of_a_missing_path_fails_and_creates_no_store(tmp_path, capsys):
    store = tmp_path / "store"
    code = main(["ingest", str(tmp_path / "no" / "such" / "path"), "--store", str(store)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "No such file or folder:" in err and "no/such/path" in err and "\n" not in err
    assert not store.exists()


def test_ingest_of_a_folder_without_transcripts_succeeds_and_says_so(tmp_path, capsys, embedder, monkeypatch):
    import vectorstore.embed

    monkeypatch.setattr(vectorstore.embed, "make_embedder", lambda *a, **k: embedder)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"PK")  # an unsupported type is not a transcript
    code = main(["ingest", str(empty), "--store", str(tmp_path / "store")])
    out = capsys.readouterr().out
    assert code == 0 and "files read: 0" in out and f"no transcripts (.txt .md .html .pdf) found in {empty}" in out
