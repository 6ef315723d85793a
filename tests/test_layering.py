"""lossviz/ never imports Streamlit; the home page path never imports torch."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_lossviz_package_has_no_streamlit_import():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "lossviz").rglob("*.py")
        if "import streamlit" in path.read_text() or "from streamlit" in path.read_text()
    ]
    assert offenders == []


def test_importing_lossviz_and_i18n_does_not_import_torch():
    code = "import sys, lossviz, lossviz.i18n, lossviz.state, ui.common; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_home_page_does_not_import_torch():
    """Run app.py's home page through AppTest in a fresh interpreter and look at sys.modules."""
    code = (
        "import sys; from streamlit.testing.v1 import AppTest;"
        "at = AppTest.from_file('app.py', default_timeout=60).run();"
        "assert not at.exception, at.exception;"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"
