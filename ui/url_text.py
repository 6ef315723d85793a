"""A text input whose value lives in the URL, checked before it is used.

Not Streamlit's ``bind="query-params"``: bound text inputs take any URL value (silently cut to
``max_chars``), and /custom must refuse a hostile ``?expr=`` with a notice instead.
Like ``ui.url_state`` (read its docstring), the value is kept in plain session state, not only in
the widget, so it survives page and language switches; the widget is a view of it:

- when the URL holds a value this session did not write (a pasted link, Back), it is checked by
  ``validate`` (raises ``ValueError``) and used, or refused with ``notice`` and the old value kept;
- a URL without the name (the menu clears page parameters) keeps the session's value;
- the value is written to the URL when it changes (removed when it equals the default).
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from lossviz.state import Setting, SettingError
from ui import url_state
from ui.common import tr

STORE = "_lossviz_text_views"  # {name: text}
WRITTEN = "_lossviz_text_written"  # {name: text last written to the URL}


def shown_value(raw: str, limit: int = 40) -> str:
    """A URL value made safe to show inside a notice: printable, no backticks, at most ``limit``."""
    cleaned = "".join(ch if ch.isprintable() and ch != "`" else "?" for ch in raw[: limit + 1])
    return cleaned[:limit] + ("…" if len(raw) > limit else "")


def set_text(name: str, text: str) -> None:
    """Change a text setting from code (e.g. an example was clicked)."""
    st.session_state.setdefault(STORE, {})[name] = text


def _copy_back(name: str, key: str) -> None:
    set_text(name, st.session_state[key])


def url_text_input(name: str, default: str, label: str, validate: Callable[[str], object],
                   notice: Callable[[str, str, ValueError], None], max_chars: int, key: str | None = None,
                   **kwargs: object) -> str:
    """A text input synced with ``?<name>=``; ``notice(name, shown, error)`` reports a refused value.
    ``key``: the widget's key (default ``custom_<name>``)."""
    store = st.session_state.setdefault(STORE, {})
    written = st.session_state.setdefault(WRITTEN, {})
    store.setdefault(name, default)
    if name in st.query_params:
        raw = (st.query_params.get_all(name) or [""])[-1]
        if raw != written.get(name):  # not ours: a link was opened
            written[name] = raw
            try:
                validate(raw)
                store[name] = raw
            except ValueError as err:
                notice(name, shown_value(raw), err)
    key = key or f"custom_{name}"
    st.session_state[key] = store[name]
    value = st.text_input(label, key=key, max_chars=max_chars, on_change=_copy_back, args=(name, key), **kwargs)
    text = None if value == default else value
    if st.query_params.get(name) != text:
        url_state._write(name, text)
        written[name] = text
        if url_state.CURRENT_PAGE in st.session_state:  # the page view knows its URL changed here
            url_state._remember_url(st.session_state[url_state.CURRENT_PAGE])
    return value


def url_text(setting: Setting, label: str, help_text: str | None = None) -> object:
    """A text setting of a page's table (e.g. /stability's ``?logits=100,99,-800``), parsed by
    ``setting.parse``. A link's bad value is reported by the page's notices (``arrive``); typed
    text that does not parse gets a warning here, and the last valid value stays in use."""
    text = url_text_input(setting.name, str(setting.default), label, setting.parse,
                          notice=lambda *_: None, max_chars=200, key=f"url_{setting.name}", help=help_text)
    last_key = f"_last_valid_{setting.name}"
    try:
        value = setting.parse(text)
    except ValueError as err:
        expected = tr(err.key, **err.values) if isinstance(err, SettingError) else str(err)
        st.warning(tr("url_text.invalid", received=shown_value(text, 60), expected=expected), icon="⚠️")
        return st.session_state.get(last_key, setting.parse(str(setting.default)))
    st.session_state[last_key] = value
    return value
