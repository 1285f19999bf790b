import csv
import io

from aftercare.lib.csvexport import csv_cell, csv_lines


def test_cells_a_spreadsheet_would_run_stay_text():
    assert [csv_cell(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx")] == [
        "'=1+2",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert [csv_cell(v) for v in ("a=b", "", None, -5, 2.5, True)] == [
        "a=b",
        "",
        "",
        -5,
        2.5,
        "true",
    ]


def test_lines_are_one_csv_file_with_a_byte_order_mark():
    body = b"".join(csv_lines(["id", "name"], [[1, 'تعمیر, "quoted"'], [2, "=cmd"]]))
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["id", "name"],
        ["1", 'تعمیر, "quoted"'],
        ["2", "'=cmd"],
    ]
