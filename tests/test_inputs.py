"""The build's check that a page does not retype a snippet's inputs (runner/inputs.py)."""

from runner.inputs import retyped, snippet_inputs

SCRIPT = (
    "SLEEP = 0.2\nTASKS = 12\nCOUNTS = (1, 100, 10_000)\nROUNDS = 3\nname = 0.7\n"
    'SIZES = [1 << 10, 32 << 20]\nDELAYS = {"a": 0.05}\nRUNS = {100_000: 1}\n'
)


def page(code: str = "", prose: str = "") -> str:
    return f'{prose}\n\n```python exec="on"\nm = measure("snippets/t/01_x.py")\n{code}\n```\n'


def found(markdown: str, tmp_path) -> list[str]:
    (tmp_path / "snippets/t").mkdir(parents=True, exist_ok=True)
    (tmp_path / "snippets/t/01_x.py").write_text(SCRIPT)
    return [problem.split(" is ")[0] for problem in retyped(markdown, tmp_path)]


def test_a_scripts_inputs_are_its_upper_case_numbers_but_small_integers():
    assert snippet_inputs(SCRIPT) == {
        **{0.2: "SLEEP", 12: "TASKS", 100: "COUNTS", 10_000: "COUNTS"},
        **{1024: "SIZES", 32 << 20: "SIZES", 0.05: "DELAYS", 100_000: "RUNS"},
    }


def test_an_input_typed_in_code_in_a_string_or_in_prose_is_found(tmp_path):
    assert found(page("x = m['t'].median / 0.2"), tmp_path) == ["0.2"]
    assert found(page('print(f"{n} of 12 tasks")'), tmp_path) == ["12"]
    prose = "It starts 100 and then 10,000 workers."
    assert found(page(prose=prose), tmp_path) == ["100", "10,000"]


def test_an_input_in_another_unit_or_grouping_is_found(tmp_path):
    prose = "Eight waits of 50 ms; 32 MiB and 1 KiB; 100 000 sleepers."
    assert found(page("small, big = 1 << 10, 32 << 20", prose), tmp_path) == [
        "1024",
        "33554432",
        "50 ms",
        "32 MiB",
        "1 KiB",
        "100 000",
    ]


def test_keys_bounds_ratios_sizes_versions_and_code_spans_are_not_inputs(tmp_path):
    code = 'print(claim("At least 12 times as fast", m["time/12"].median, at_least=12))'
    prose = "Python 3.12 is 100× and 100% faster, within 12 KiB; `time.sleep(0.2)` [a](x/100)."
    assert found(page(code, prose), tmp_path) == []


def test_a_page_that_takes_inputs_from_the_run_passes(tmp_path):
    code = 'sleep = m.input("sleep")\nprint(f"{m[\'time\'].median / sleep:.1f} sleeps")'
    assert found(page(code, "Three sleeps overlap."), tmp_path) == []
