"""Shell completion: `--install-completion` and `--show-completion` for a named shell, and
the claim ids and topics that complete."""

from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperOption

from aousdctl.cli import common

if TYPE_CHECKING:
    from aousdctl.domain.claims import Claim


def completion_options() -> list[Any]:
    """`--install-completion [SHELL]` and `--show-completion [SHELL]`: the shell given, or
    the current one (Typer's own flags would ignore a shell name)."""
    from aousdctl.cli.typer_click import completion_init

    completion_init()  # registers zsh, fish and PowerShell beside bash
    shells = "bash, zsh, fish or pwsh"
    return [
        TyperOption(
            param_decls=[name],
            metavar="[SHELL]",
            expose_value=False,
            is_eager=True,
            callback=callback,
            help=f"{what} completion for SHELL ({shells}; default: the current shell).",
        )
        for name, callback, what in (
            ("--install-completion", install_completion, "Install"),
            ("--show-completion", show_completion, "Print"),
        )
    ]


def install_completion(context: typer.Context, parameter: Any, value: str | None) -> None:
    if value is not None and not context.resilient_parsing:
        from typer.completion import install_callback

        install_callback(context, parameter, shell(value))


def show_completion(context: typer.Context, parameter: Any, value: str | None) -> None:
    if value is not None and not context.resilient_parsing:
        from typer.completion import show_callback

        show_callback(context, parameter, shell(value))


def shell(value: str) -> str | bool:
    """A shell Typer can complete for, or True to detect the current one."""
    if not value:
        return True
    if value not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        raise typer.BadParameter(f"{value!r} is not one of bash, zsh, fish, pwsh")
    return value


def complete_claim_ids(context: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: the ids that start with what was typed, each with its text."""
    return [
        (str(claim["id"]), claim["text"].translate(SHELL_SAFE))
        for claim in claims_for_completion(context)
        if str(claim["id"]).startswith(incomplete)
    ]


# A claim's text as a completion's description: Typer's zsh script quotes it, and a
# backslash or quote in it would break (or silently shorten) the shell's list.
SHELL_SAFE = str.maketrans({"\\": "/", '"': "\u201d", "'": "\u2019", "`": "\u2019"})


def complete_topics(context: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the topics of claims (and of topic settings) that start so."""
    from aousdctl.service import topics

    try:
        names = topics.names(common.database_path(context))
    except Exception:
        return []  # completion never fails
    wanted = incomplete.casefold()
    return sorted(name for name in names if name.casefold().startswith(wanted))


def claims_for_completion(context: typer.Context) -> list["Claim"]:
    """Every claim, or none when the database can't be read: completion never fails."""
    from aousdctl.service import claims

    try:
        return claims.listing(common.database_path(context))
    except Exception:
        return []
