"""`doctor` shares the claims and source records of a large file out between processes (see
`service.parallel`): its report is the same, problem for problem and in the same order, as
one process's, whatever the records hold."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aousdctl import codec
from aousdctl.domain import ids
from aousdctl.service import doctor, parallel
from aousdctl.storage import migrations
from tests.support.records import claim, tables

CLAIMS = {
    ids.seeded_id(f"claim {n}"): claim(f"Claim number {n}", sources=[f"https://example.com/{n}"])
    for n in range(40)
}
# Ways a hand edit spoils a record of each table, each at some record of the file.
DAMAGES = {
    "claims": [
        lambda record: record.update(text=" "),
        lambda record: record.update(status="likely"),
        lambda record: record.pop("history", None),
        lambda record: record.update(tags=["a", "A"]),
        lambda record: record.clear(),
    ],
    "sources": [
        lambda record: record.update(title="Not in its history"),
        lambda record: record.update(outlet=7),
        lambda record: record.update(notes="hand-written"),
        lambda record: record.pop("history", None),
        lambda record: record.clear(),
    ],
}


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    damaged=st.lists(
        st.tuples(
            st.sampled_from(["claims", "sources"]),
            st.integers(0, 39),
            st.integers(0, 4),
        ),
        max_size=4,
    ),
    parts=st.integers(2, 4),
)
def test_a_report_shared_out_is_the_report_of_one_process(
    tmp_path_factory, monkeypatch, damaged, parts
):
    document = migrations.versioned(tables(CLAIMS, topics={}))
    for table, number, damage in damaged:
        key = sorted(document[table])[number]
        DAMAGES[table][damage](document[table][key])
    path = tmp_path_factory.mktemp("doctor") / "claims.json"
    path.write_bytes(b"".join(codec.stored(document)))
    with monkeypatch.context() as patched:
        patched.setattr(parallel, "parts_for", lambda records: parts)
        shared = doctor.examine(path)
    with monkeypatch.context() as patched:
        patched.setattr(parallel, "parts_for", lambda records: 1)
        alone = doctor.examine(path)
    assert shared == alone
    assert bool(alone[1]) == bool(damaged)
