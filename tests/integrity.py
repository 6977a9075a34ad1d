"""The invariants checked after every test of the flows, decisions and services, before its transaction is rolled
back (awards.selectors.integrity; docs/integrity.md).

A test module turns it on by importing the fixture (it is autouse):

    from tests.integrity import integrity_checked as integrity_checked  # noqa: F401

A test that leaves an inconsistent world on purpose says so with `@pytest.mark.integrity_skip(reason=...)`.
Stored files are not read (`files=False`): tests/test_integrity.py checks them.
"""

import pytest


@pytest.fixture(autouse=True)
def integrity_checked(request, db):
    """Run the test, then fail it if any invariant does not hold in what it left (still inside its transaction:
    the fixture depends on `db`, so it ends before the rollback or, for a transactional test, the flush)."""
    failed_before = request.session.testsfailed
    yield
    if request.node.get_closest_marker("integrity_skip"):
        return
    if request.session.testsfailed > failed_before:
        return  # the test has failed already: its own failure says more
    from awards.selectors.integrity import integrity_findings

    findings = integrity_findings(files=False)
    assert not findings, "the test left rows that break an invariant (docs/integrity.md):\n" + "\n".join(
        str(finding) for finding in findings
    )
