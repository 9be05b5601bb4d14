"""Typer's private names, borrowed in one place (`aousdctl.cli.typer_click`): still there, and
used nowhere else."""

from tests.support.paths import ROOT


def test_the_private_typer_names_used_are_still_there():
    """Fails first when a Typer upgrade moves what `aousdctl.typer_click` borrows."""
    import typer

    from aousdctl.cli import typer_click

    assert issubclass(typer.BadParameter, typer_click.ClickException)
    assert issubclass(typer_click.NoArgsIsHelpError, typer_click.ClickException)
    assert issubclass(typer.Context, typer_click.Context)
    typer_click.completion_init()
    from typer._click.shell_completion import get_completion_class

    assert get_completion_class("zsh") is not None


def test_only_typer_click_imports_typer_internals():
    for path in (ROOT / "src" / "aousdctl").rglob("*.py"):
        if path.name != "typer_click.py":
            assert "typer._" not in path.read_text(), path
