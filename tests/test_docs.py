"""The docs cannot drift from the code: every command and option is documented, every link resolves.

As sqlite-utils' ``tests/test_docs.py`` does: the commands and options are read from the click
group itself, so a new command or option fails here until ``docs/commands.md`` describes it.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from archiver.cli import cli

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "docs" / "commands.md"
DOCS = [REPO / "README.md", REPO / "BENCHMARKS.md", *sorted((REPO / "docs").glob("*.md"))]

#: A Markdown link or image: ``[text](target)`` or ``[text](target "title")``.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_BLOCK = re.compile(r"^```.*?^```", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def commands(group: click.Group = cli, prefix: str = "") -> dict[str, click.Command]:
    """Every command of ``group`` by its full name (``crawl``, ``demo-site``), sub-groups included."""
    ctx = click.Context(group, info_name="archiver")
    found = {}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        full = f"{prefix}{name}"
        found[full] = command
        if isinstance(command, click.Group):
            found.update(commands(command, f"{full} "))
    return found


def long_options(command: click.Command) -> list[str]:
    """The long names (``--start-url``) of a command's options, ``--help`` aside."""
    names = []
    for param in command.params:
        if isinstance(param, click.Option):
            names += [opt for opt in [*param.opts, *param.secondary_opts] if opt.startswith("--")]
    return names


def reference_sections() -> dict[str, str]:
    """The text of each ``## archiver COMMAND`` section of the command reference."""
    text = REFERENCE.read_text()
    parts = re.split(r"^## archiver (\S+)[ \t]*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def all_docs() -> str:
    return "\n".join(path.read_text() for path in DOCS)


COMMANDS = commands()


def test_the_cli_has_commands():
    assert {"crawl", "export", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented(name):
    assert name in reference_sections(), f"docs/commands.md has no '## archiver {name}' section"
    assert re.search(rf"\barchiver {re.escape(name)}\b", (REPO / "README.md").read_text()), (
        f"README.md's command sheet does not mention 'archiver {name}'"
    )


@pytest.mark.parametrize(
    "name,option", [(name, option) for name, command in sorted(COMMANDS.items()) for option in long_options(command)]
)
def test_option_is_documented(name, option):
    section = reference_sections().get(name, "")
    assert re.search(rf"`{re.escape(option)}\b", section), (
        f"docs/commands.md, section 'archiver {name}', does not describe {option}"
    )


def test_group_options_are_documented():
    text = REFERENCE.read_text()
    for option in long_options(cli):
        assert f"archiver {option}" in text, f"docs/commands.md does not mention 'archiver {option}'"


def test_reference_documents_no_command_that_does_not_exist():
    assert set(reference_sections()) <= set(COMMANDS)


def links(path: Path) -> list[str]:
    """The link targets of a Markdown file, outside code blocks and code spans."""
    text = CODE_SPAN.sub("", CODE_BLOCK.sub("", path.read_text()))
    return LINK.findall(text)


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    text = CODE_BLOCK.sub("", path.read_text())
    found, seen = set(), {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def relative_links() -> list[tuple[Path, str]]:
    """Each (file, target) once, for the links that are not to another site (http:, mailto: ...)."""
    found = [
        (path, target)
        for path in DOCS
        for target in links(path)
        if not re.match(r"[a-z][a-z0-9+.-]*:", target, flags=re.I)
    ]
    return list(dict.fromkeys(found))


def test_docs_have_relative_links():
    assert len(relative_links()) > 20


@pytest.mark.parametrize(
    "path,target", relative_links(), ids=[f"{p.name}:{t}" for p, t in relative_links()]
)
def test_relative_link_resolves(path, target):
    file, _, fragment = target.partition("#")
    linked = (path.parent / file).resolve() if file else path
    assert linked.exists(), f"{path.relative_to(REPO)} links to {target}: no such file"
    assert REPO in linked.parents or linked == REPO, f"{path.relative_to(REPO)} links outside the repository: {target}"
    if fragment and linked.suffix == ".md":
        assert fragment in anchors(linked), f"{path.relative_to(REPO)} links to {target}: no such heading"


def test_docs_name_no_path_of_a_machine():
    for path in DOCS:
        for line_number, line in enumerate(path.read_text().splitlines(), 1):
            assert not re.search(r"(?<![\w.])/(work|tmp|root)/", line), f"{path.relative_to(REPO)}:{line_number}: {line}"
