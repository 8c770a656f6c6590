from __future__ import annotations

import pytest

from hardware.scanner.framing import Frame, ScanFramer, ScanFraming


@pytest.mark.parametrize(
    "data", [b"3017620422003\r", b"3017620422003\n", b"3017620422003\r\n"]
)
def test_a_code_ends_at_cr_lf_or_crlf(data):
    framer = ScanFramer()

    assert framer.feed(data, now=0.0) == [Frame(code="3017620422003")]


def test_the_lf_of_a_crlf_makes_no_empty_code():
    framer = ScanFramer()

    frames = framer.feed(b"111\r", now=0.0) + framer.feed(b"\n222\r\n", now=0.001)

    assert frames == [Frame(code="111"), Frame(code="222")]


def test_a_code_split_across_reads_is_joined():
    framer = ScanFramer()

    first = framer.feed(b"30176", now=0.0)
    second = framer.feed(b"20422003\r", now=0.005)

    assert (first, second) == ([], [Frame(code="3017620422003")])


def test_without_suffix_a_code_ends_after_a_silence():
    framer = ScanFramer(ScanFraming(silence_seconds=0.05))
    framer.feed(b"3017620422003", now=10.0)

    assert framer.flush(now=10.049) == []
    assert framer.flush(now=10.05) == [Frame(code="3017620422003")]
    assert framer.flush(now=11.0) == []


def test_bytes_after_a_silence_start_a_new_code():
    framer = ScanFramer(ScanFraming(silence_seconds=0.05))
    framer.feed(b"111", now=0.0)

    assert framer.feed(b"222", now=0.2) == [Frame(code="111")]
    assert framer.flush(now=0.3) == [Frame(code="222")]


def test_configured_prefix_and_suffix_are_stripped():
    framer = ScanFramer(ScanFraming(prefix="#", suffix="!"))

    assert framer.feed(b"#ABC123!\r", now=0.0) == [Frame(code="ABC123")]


def test_an_aim_identifier_is_stripped_when_asked():
    framer = ScanFramer(ScanFraming(strip_aim=True))

    assert framer.feed(b"]E03017620422003\r", now=0.0) == [Frame(code="3017620422003")]


def test_an_aim_identifier_is_kept_otherwise():
    framer = ScanFramer()

    assert framer.feed(b"]Q1member-42\r", now=0.0) == [Frame(code="]Q1member-42")]


def test_surrounding_spaces_are_stripped():
    framer = ScanFramer()

    assert framer.feed(b"  42  \r", now=0.0) == [Frame(code="42")]


def test_an_over_long_code_is_rejected_up_to_its_terminator():
    framer = ScanFramer(ScanFraming(max_length=8))

    frames = framer.feed(b"123456789ABCDEF\rOK\r", now=0.0)

    assert frames == [Frame(error="longer than 8 bytes"), Frame(code="OK")]


def test_a_code_of_exactly_the_maximum_length_is_accepted():
    framer = ScanFramer(ScanFraming(max_length=8))

    assert framer.feed(b"12345678\r", now=0.0) == [Frame(code="12345678")]


def test_binary_garbage_is_rejected():
    framer = ScanFramer()

    frames = framer.feed(b"\x00\x01\xff\xfe\x1b@\r3017620422003\r", now=0.0)

    assert frames == [Frame(error="binary data"), Frame(code="3017620422003")]


def test_invalid_utf8_is_rejected():
    framer = ScanFramer()

    assert framer.feed(b"caf\xe9\r", now=0.0) == [Frame(error="binary data")]


def test_utf8_text_and_gs1_separators_are_accepted():
    framer = ScanFramer()

    frames = framer.feed("01034531200000111719112510ABCD\x1d21Zoë\r".encode(), now=0.0)

    assert frames == [Frame(code="01034531200000111719112510ABCD\x1d21Zoë")]


def test_a_code_of_nothing_but_its_prefix_is_rejected():
    framer = ScanFramer(ScanFraming(prefix="#"))

    assert framer.feed(b"#\r", now=0.0) == [Frame(error="empty code")]


def test_a_rejected_frame_is_not_accepted():
    assert Frame(error="binary data").is_accepted is False
    assert Frame(code="42").is_accepted is True
