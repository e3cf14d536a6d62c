"""The shared CSV reader: encodings, separators, line numbers, limits and its Danish messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from substitution.csv_reader import (
    MAX_BYTES,
    MAX_ROWS,
    CsvReadError,
    CsvTable,
    RowError,
    parse_date,
    read_csv,
    validate_upload_size,
)


def lines_of(table: CsvTable) -> list[int]:
    return [row.line for row in table.rows]


def values_of(table: CsvTable) -> list[dict[str, str]]:
    return [row.values for row in table.rows]


def read_error(data: bytes, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> RowError:
    with pytest.raises(CsvReadError) as info:
        read_csv(data, max_bytes=max_bytes, max_rows=max_rows)
    return info.value.error


# --- encodings -------------------------------------------------------------------------------


def test_utf8_without_bom() -> None:
    table = read_csv("navn;by\nSøren Æbelø;Århus\n".encode())
    assert table.encoding == "utf-8"
    assert table.columns == ["navn", "by"]
    assert values_of(table) == [{"navn": "Søren Æbelø", "by": "Århus"}]


def test_utf8_with_bom_drops_the_bom_from_the_first_column() -> None:
    table = read_csv(b"\xef\xbb\xbf" + "navn;by\nØjvind;Ærø\n".encode())
    assert table.encoding == "utf-8"
    assert table.header == ["navn", "by"]
    assert values_of(table) == [{"navn": "Øjvind", "by": "Ærø"}]


def test_windows_1252_when_the_file_is_not_utf8() -> None:
    data = "navn;by\r\nSøren Åge;Æbelø\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_csv(data)
    assert table.encoding == "windows-1252"
    assert values_of(table) == [{"navn": "Søren Åge", "by": "Æbelø"}]


def test_utf16_is_refused_as_unreadable() -> None:
    error = read_error("navn;by\r\nSøren;Århus\r\n".encode("utf-16"))
    assert error == RowError(
        0, "", "Filen kan ikke læses som tekst. Gem den som CSV i UTF-8 eller Windows-1252."
    )


def test_bytes_undefined_in_windows_1252_are_refused_as_unreadable() -> None:
    # 0x81 is invalid UTF-8 here and has no character in Windows-1252.
    error = read_error(b"navn;by\r\nS\x81ren;Aarhus\r\n")
    assert error.line == 0
    assert error.message.startswith("Filen kan ikke læses som tekst.")


def test_invalid_utf8_after_a_bom_names_the_line() -> None:
    # The BOM says UTF-8; line 3 holds a Windows-1252 "ø" (0xF8).
    data = b"\xef\xbb\xbfnavn;by\r\nAnna;Aarhus\r\nS\xf8ren;Vejle\r\n"
    error = read_error(data)
    assert error == RowError(
        3, "", "Linje 3 er ikke gyldig UTF-8, selv om filen er gemt som UTF-8."
    )


# --- separators -------------------------------------------------------------------------------


def test_semicolon_separator_keeps_commas_in_values() -> None:
    table = read_csv(b"navn;timer\nAnna;7,5\n")
    assert table.delimiter == ";"
    assert values_of(table) == [{"navn": "Anna", "timer": "7,5"}]


def test_comma_separator_keeps_quoted_semicolons_and_commas() -> None:
    table = read_csv(b'navn,timer,note\nAnna,"7,5","a; b"\n')
    assert table.delimiter == ","
    assert values_of(table) == [{"navn": "Anna", "timer": "7,5", "note": "a; b"}]


def test_separator_is_sniffed_from_the_header_line_only() -> None:
    # The data rows are full of commas, but the header uses semicolons.
    table = read_csv(b"navn;note\nAnna;a, b, c, d\n")
    assert table.delimiter == ";"
    assert values_of(table) == [{"navn": "Anna", "note": "a, b, c, d"}]


def test_a_tie_between_separators_is_a_semicolon() -> None:
    assert read_csv(b"a;b,c\n1;2,3\n").delimiter == ";"


def test_a_single_column_file_reads() -> None:
    table = read_csv(b"cpr\n0101901234\n")
    assert values_of(table) == [{"cpr": "0101901234"}]


# --- header and cells --------------------------------------------------------------------------


def test_header_names_are_case_and_space_insensitive_and_aliased() -> None:
    table = read_csv(b" CPR-nummer ; Navn ;\n0101901234;Anna;\n", aliases={"cpr-nummer": "cpr"})
    assert table.header == ["CPR-nummer", "Navn", ""]
    assert table.columns == ["cpr", "navn", ""]
    assert values_of(table) == [{"cpr": "0101901234", "navn": "Anna"}]


def test_values_are_stripped_short_rows_padded_and_extra_cells_ignored() -> None:
    table = read_csv(b"a;b;c\n 1 ; 2 \n1;2;3;4;5\n")
    assert values_of(table) == [{"a": "1", "b": "2", "c": ""}, {"a": "1", "b": "2", "c": "3"}]


# --- line numbers ------------------------------------------------------------------------------


def test_line_numbers_count_the_lines_inside_a_quoted_value() -> None:
    data = (
        "cpr;navn;note\r\n"
        '0101901234;Anna;"første linje\r\nanden linje\r\ntredje linje"\r\n'
        "0202901234;Bo;kort\r\n"
    ).encode()
    table = read_csv(data)
    assert lines_of(table) == [2, 5]
    assert table.rows[0].values["note"] == "første linje\r\nanden linje\r\ntredje linje"


def test_line_numbers_with_unix_line_breaks_and_a_multi_line_value() -> None:
    data = b'navn;note\nAnna;"a\nb"\nBo;c\nCai;"d\n\ne"\nDorte;f\n'
    assert lines_of(read_csv(data)) == [2, 4, 5, 8]


def test_line_numbers_with_old_mac_line_breaks() -> None:
    assert lines_of(read_csv(b"navn;by\rAnna;Aarhus\rBo;Vejle\r")) == [2, 3]


def test_blank_rows_are_skipped_but_still_counted() -> None:
    data = b"navn;by\r\n\r\n;;\r\nAnna;Aarhus\r\n  ;  \r\nBo;Vejle\r\n\r\n"
    table = read_csv(data)
    assert lines_of(table) == [4, 6]


def test_blank_lines_before_the_header_are_skipped_and_counted() -> None:
    table = read_csv(b"\r\n;;\r\nnavn;by\r\nAnna;Aarhus\r\n")
    assert table.header_line == 3
    assert lines_of(table) == [4]


def test_a_bom_does_not_shift_the_line_numbers() -> None:
    assert lines_of(read_csv(b"\xef\xbb\xbfnavn\nAnna\nBo\n")) == [2, 3]


# --- size limits -------------------------------------------------------------------------------


def test_files_over_the_byte_limit_are_refused() -> None:
    error = read_error(b"a" * (MAX_BYTES + 1))
    assert error == RowError(0, "", "Filen er for stor (højst 10 MB).")
    # Exactly at the limit: 5 + 52,428 x 200 + 155 bytes.
    at_limit = b"navn\n" + (b"x" * 199 + b"\n") * 52_428 + b"y" * 154 + b"\n"
    assert len(at_limit) == MAX_BYTES
    assert len(read_csv(at_limit).rows) == 52_429


def test_the_byte_limit_can_be_lowered() -> None:
    error = read_error(b"navn\nAnna\n" + b"x" * 3 * 2**20, max_bytes=2 * 2**20)
    assert error.message == "Filen er for stor (højst 2 MB)."


def test_files_over_the_row_limit_are_refused() -> None:
    at_limit = b"nr\n" + b"".join(b"%d\n" % i for i in range(MAX_ROWS))
    assert len(read_csv(at_limit).rows) == MAX_ROWS == 100_000
    error = read_error(at_limit + b"100000\n")
    assert error == RowError(
        0, "", "Filen har for mange rækker (højst 100.000). Del den op i flere filer."
    )


def test_blank_rows_do_not_count_towards_the_row_limit() -> None:
    assert len(read_csv(b"nr\n1\n\n,\n 2 \n", max_rows=2).rows) == 2
    assert read_error(b"nr\n1\n2\n3\n", max_rows=2).message.startswith(
        "Filen har for mange rækker (højst 2)."
    )


def test_upload_validator_refuses_a_file_over_the_byte_limit() -> None:
    validate_upload_size(SimpleUploadedFile("ok.csv", b"a" * MAX_BYTES))
    with pytest.raises(ValidationError) as info:
        validate_upload_size(SimpleUploadedFile("stor.csv", b"a" * (MAX_BYTES + 1)))
    assert info.value.messages == ["Filen er for stor (højst 10 MB)."]


# --- errors about the file as a whole ----------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b";;;\n,,\n", b"   \n"])
def test_empty_file(data: bytes) -> None:
    assert read_error(data) == RowError(0, "", "Filen er tom.")


def test_a_header_without_rows_reads_and_the_importer_reports_it() -> None:
    table = read_csv(b"navn;by\r\n;\r\n")
    assert table.rows == []
    assert table.no_rows_error() == RowError(0, "", "Filen indeholder ingen rækker.")


def test_an_unclosed_quote_names_the_line_where_the_row_starts() -> None:
    # The quote opened on line 3 swallows the rest of the file into one huge value.
    data = b'navn;note\nAnna;ok\nBo;"ikke lukket\n' + b"x;y\n" * 40_000
    error = read_error(data)
    assert error == RowError(
        3, "", 'Linje 3 kan ikke læses som CSV. Tjek at anførselstegn (") står parvis.'
    )


# --- the header compared with the importer's columns -------------------------------------------


def test_header_check_passes_with_required_optional_and_blank_columns() -> None:
    table = read_csv(b"cpr;uge;timer;kilde;\n")
    check = table.check_header(["cpr", ("uge", "dato"), "timer"], ["kilde"])
    assert check.ok
    assert check.errors() == []


def test_missing_columns_per_column_and_as_summary() -> None:
    table = read_csv(b"cpr;cvr\n")
    check = table.check_header(["cpr", "cvr", "timer", ("uge", "dato")])
    assert not check.ok
    assert check.errors() == [
        RowError(1, "timer", "Kolonnen mangler i overskriftslinjen."),
        RowError(1, "uge/dato", "Kolonnen mangler i overskriftslinjen."),
    ]
    assert check.summary() == RowError(1, "", "Mangler kolonne: timer, uge/dato.")


def test_unknown_columns_are_named_as_written() -> None:
    table = read_csv(b"cpr;Fornvan\n")
    check = table.check_header(["cpr"])
    assert check.errors() == [RowError(1, "Fornvan", "Ukendt kolonne.")]
    assert check.summary().message == "Ukendt kolonne: Fornvan."


def test_duplicate_columns_also_through_an_alias() -> None:
    table = read_csv(b"cpr;loen;L\xc3\xb8n\n", aliases={"løn": "loen"})
    check = table.check_header(["cpr"], ["loen"])
    assert check.errors() == [RowError(1, "loen", "Kolonnen står flere gange i overskriftslinjen.")]
    assert check.summary().message == "Kolonnen står flere gange i overskriftslinjen: loen."


def test_header_errors_carry_the_header_line() -> None:
    table = read_csv(b"\n\nnavn\n")
    assert table.check_header(["cpr"], ["navn"]).errors() == [
        RowError(3, "cpr", "Kolonnen mangler i overskriftslinjen.")
    ]


def test_the_summary_joins_every_kind_of_problem() -> None:
    table = read_csv(b"cpr;cpr;x\n")
    assert table.check_header(["cpr", "timer"]).summary().message == (
        "Mangler kolonne: timer. Ukendt kolonne: x. "
        "Kolonnen står flere gange i overskriftslinjen: cpr."
    )


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["01-02-2025", "01.02.2025", "01/02/2025", "2025-02-01", "1-2-2025", " 01.02.2025 "]
)
def test_parse_date_accepts_every_import_format(text: str) -> None:
    assert parse_date(text) == dt.date(2025, 2, 1)


@pytest.mark.parametrize("text", ["31-02-2025", "2025/02/01", "01-02-25", "1. februar", ""])
def test_parse_date_refuses_with_a_danish_message(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == (
        f"Ugyldig dato “{text}”. Brug dd-mm-åååå, dd.mm.åååå, dd/mm/åååå eller åååå-mm-dd."
    )


# --- hostile files: every one is a Danish error, never an exception -------------------------


def test_a_value_over_the_field_limit_is_named_as_too_long() -> None:
    data = b"navn;note\nAnna;ok\nBo;" + b"x" * 131_073 + b"\n"
    error = read_error(data)
    assert error == RowError(
        3, "", "Linje 3 har en værdi på mere end 131.072 tegn. Del den op, eller ret filen."
    )


def test_a_quoted_value_over_the_field_limit_is_named_as_too_long() -> None:
    data = b'navn;note\nBo;"' + b"x" * 131_073 + b'"\n'
    assert read_error(data).message.startswith("Linje 2 har en værdi på mere end 131.072 tegn.")


def test_a_quote_left_open_at_the_end_of_the_file_is_refused() -> None:
    # Without this the rest of the file would be read silently into one value.
    data = b'navn;note\nAnna;"ikke lukket\nBo;ok\n'
    assert read_error(data) == RowError(
        2, "", 'Linje 2 kan ikke læses som CSV. Tjek at anførselstegn (") står parvis.'
    )


@pytest.mark.parametrize("seed", range(25))
def test_random_binary_bytes_give_a_danish_error_or_a_table(seed: int) -> None:
    import random

    rnd = random.Random(seed)
    data = bytes(rnd.randrange(256) for _ in range(4000))
    # Binary data without NUL bytes, which decodes as Windows-1252 text.
    text_like = bytes(b for b in data if b not in (0, 0x81, 0x8D, 0x8F, 0x90, 0x9D))
    for sample in (data, text_like):
        try:
            read_csv(sample)
        except CsvReadError as exc:
            assert exc.error.message.startswith(("Filen", "Linje"))
