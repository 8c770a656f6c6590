from __future__ import annotations

from hardware.agent.runner import _ScanLimiter


def test_a_code_read_again_within_a_second_is_dropped():
    limiter = _ScanLimiter()

    assert [
        limiter.allows("42", 0.0),
        limiter.allows("42", 0.5),
        limiter.allows("42", 1.4),
        limiter.allows("42", 2.5),
    ] == [True, False, False, True]


def test_different_codes_pass_up_to_five_a_second():
    limiter = _ScanLimiter()

    allowed = [limiter.allows(f"code-{n}", n * 0.1) for n in range(8)]

    assert allowed == [True, True, True, True, True, False, False, False]
    assert limiter.allows("code-late", 1.05) is True
