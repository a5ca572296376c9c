"""The one way tesseract is run: one OpenMP thread per process unless the environment chose,
since pages are read several at a time; its TSV words read by column name."""

from service.records import tesseract


def test_tesseract_runs_on_one_thread_unless_the_environment_chose(monkeypatch):
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert tesseract._one_thread_environment()["OMP_THREAD_LIMIT"] == "1"
    monkeypatch.setenv("OMP_THREAD_LIMIT", "3")
    assert tesseract._one_thread_environment()["OMP_THREAD_LIMIT"] == "3"


def test_word_rows_keep_words_and_drop_blank_and_structural_rows():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t10\t30\t12\t91.5\tPaid",
        "5\t1\t1\t1\t1\t2\t45\t10\t5\t12\t40.0\t ",
        "5\t1\t1\t1\t1\t3\t55\t10\t40\t12\t88.0\t$58.00",
    ]
    words = tesseract.word_rows("\n".join([header, *rows]) + "\n")
    assert [(w["text"], w["conf"]) for w in words] == [("Paid", "91.5"), ("$58.00", "88.0")]
