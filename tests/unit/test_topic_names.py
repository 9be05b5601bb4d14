"""Known topic names and the did-you-mean of an unknown one (`topics.require_known`)."""

import pytest

from aousdctl.domain import topics
from aousdctl.errors import BadInput

IN_USE = ["Release", "Cast", "release", "Production", "Renewal"]


def test_a_known_name_is_spelled_as_first_used():
    assert topics.require_known(" RELEASE ", IN_USE, otherwise="x") == "Release"
    assert topics.known("cast", IN_USE) == "Cast"
    assert topics.known("Casting", IN_USE) is None


def test_an_unknown_name_is_bad_input_with_close_names():
    with pytest.raises(BadInput) as refused:
        topics.require_known("Relase", IN_USE, otherwise="give --new to start it")
    message = str(refused.value)
    assert "'Relase'" in message and "did you mean Release?" in message
    assert message.endswith("give --new to start it")


def test_several_close_names_are_offered_closest_first():
    assert topics.close_names("Renease", IN_USE) == ["Release", "Renewal"]


def test_a_name_close_to_nothing_gets_no_guess():
    with pytest.raises(BadInput) as refused:
        topics.require_known("Soundtrack", IN_USE, otherwise="give --new")
    assert "did you mean" not in str(refused.value)


def test_nothing_in_use_refuses_every_name():
    with pytest.raises(BadInput):
        topics.require_known("General", [], otherwise="give --new")
