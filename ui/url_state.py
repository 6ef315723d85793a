"""A page's view: one source of truth per page for every shareable setting, mirrored in the URL.

Why not let each widget own its value? Three things throw a widget's value away in Streamlit
1.67, and each one bit /explorer:

- a language switch: select widgets keep their value in the browser as the *displayed*
  (translated) label, which no longer matches any option in the other language;
- a page switch: Streamlit drops the state of widgets that are not drawn, and clears
  page-bound query parameters when the user moves through the menu;
- ``bind="query-params"``: it writes a select widget's translated label into the link.

So each page keeps its settings in ``st.session_state[VIEWS][page]`` (plain values, never
widget state, so they survive both switches) and every widget is a *view* of it:

1. ``arrive(page, settings)`` at the top of the page's script decides where the values come
   from. On arrival (another page was shown before, or the URL was changed from outside:
   a pasted link, the browser's Back button) the link wins: defaults plus its valid values,
   or, if the link names none of this page's settings, the view this session last had here.
   Otherwise (a widget moved, the language changed) the stored view stands.
2. ``choice`` / ``slider`` / ``flag`` set the widget's state from the view before drawing it,
   and an ``on_change`` callback copies the user's move back into the view. The widget key
   includes the language, so a language switch draws a fresh widget with fresh labels.
3. ``sync_url`` writes the settings on screen into the URL (defaults left out) and removes
   the rest, so the address bar always reopens what is shown.

Notices: every value a link asked for and the page could not honour is collected by
``arrive`` and the widgets (``note_ignored``) and shown, in the page's language, by
``show_notices``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterable, Mapping, Sequence

import streamlit as st

from lossviz.state import Setting, SettingError, shown_raw

VIEWS = "_lossviz_views"  # {page: {name: value}}
WRITTEN = "_lossviz_url_written"  # {page: {name: text}}: what sync_url last put in the URL
NOTICES = "_lossviz_notices"  # {page: [(name, received, SettingError)]}, shown once
ARRIVED = "_lossviz_arrived"  # {page: bool}: this run read the view from the link
CURRENT_PAGE = "_lossviz_page"
SETTINGS = "_lossviz_settings"  # {page: {name: Setting}}, for the one-widget helpers below


def _url_values(settings: Mapping[str, Setting]) -> dict[str, str | list[str]]:
    return {name: st.query_params.get_all(name) for name in settings if name in st.query_params}


def _url_texts(settings: Mapping[str, Setting]) -> dict[str, str]:
    return {name: ",".join(values) for name, values in _url_values(settings).items()}


def arrive(page: str, settings: Mapping[str, Setting], shell: bool = False) -> dict[str, object]:
    """Start a page run: return the page's view, read from the URL when the user arrives.

    ``shell=True`` is for settings of app.py itself (``lang``, presentation mode), checked on
    every page: they neither count as the page shown nor write the URL, and their link is
    judged once per change."""
    views = st.session_state.setdefault(VIEWS, {})
    written = st.session_state.setdefault(WRITTEN, {})
    texts = _url_texts(settings)
    if shell:
        arrived = texts != written.get(page)
        written[page] = texts
    else:
        arrived = st.session_state.get(CURRENT_PAGE) != page or texts != written.get(page)
        st.session_state[CURRENT_PAGE] = page
    st.session_state.setdefault(SETTINGS, {})[page] = dict(settings)
    st.session_state.setdefault(ARRIVED, {})[page] = False
    if arrived or page not in views:
        query = _url_values(settings)
        if query or page not in views:
            view, problems = {}, []
            for name, setting in settings.items():
                if name in query:
                    value, problem = setting.parse_lenient(query[name])
                    if problem is not None:
                        problems.append((name, shown_raw(query[name]), problem))
                    view[name] = value
                else:
                    view[name] = setting.default
            views[page] = view
            st.session_state.setdefault(NOTICES, {})[page] = problems
            st.session_state[ARRIVED][page] = bool(query)
    return views[page]


def view(page: str) -> dict[str, object]:
    return st.session_state[VIEWS][page]


def note_ignored(page: str, name: str, received: str, problem: SettingError) -> None:
    """Say (once) that a value from the link just opened could not be used here."""
    if not st.session_state.get(ARRIVED, {}).get(page):
        return
    notices = st.session_state.setdefault(NOTICES, {}).setdefault(page, [])
    if all(n != name for n, _, _ in notices):
        notices.append((name, received, problem))


def show_notices(page: str, tr: Callable[..., str]) -> None:
    """Show, in the page's language, every ignored value of the link just opened; then forget them."""
    for name, received, problem in st.session_state.get(NOTICES, {}).pop(page, []):
        if problem.key == "url.expected.step":  # moved to the nearest step, not dropped
            st.warning(tr("url.snapped", name=name, received=received, **problem.values), icon="⚠️")
            continue
        expected = tr(problem.key, **problem.values)
        st.warning(tr("url.ignored", name=name, received=received, expected=expected), icon="⚠️")


_VALUES_ONLY = "_lossviz_values_only"  # set while a page reads its controls' values without drawing them


@contextmanager
def values_only():
    """Inside, ``choice`` / ``slider`` / ``flag`` return what their widget would return (the
    view's value, normalised the same way) and draw nothing. A page uses it to draw its chart
    *before* its controls: Streamlit sends elements in the order they are made, and the browser
    handles them one by one, so the chart's new data then reaches the browser first (see
    app_pages/explorer.py). The controls are drawn afterwards, from the same view."""
    st.session_state[_VALUES_ONLY] = True
    try:
        yield
    finally:
        st.session_state[_VALUES_ONLY] = False


def drawing() -> bool:
    """False inside ``values_only``: a page skips its other elements (captions) then."""
    return not st.session_state.get(_VALUES_ONLY, False)


def _widget_key(page: str, name: str, lang: str) -> str:
    return f"w.{page}.{name}.{lang}"


def _copy_back(page: str, name: str, key: str) -> None:
    value = st.session_state[key]
    view(page)[name] = list(value) if isinstance(value, (list, tuple)) else value


def _prepare(page: str, name: str, lang: str) -> tuple[str, dict]:
    key = _widget_key(page, name, lang)
    value = view(page)[name]
    st.session_state[key] = list(value) if isinstance(value, list) else value
    return key, {"key": key, "on_change": _copy_back, "args": (page, name, key)}


def choice(
    page: str,
    setting: Setting,
    label: str,
    lang: str,
    format_func: Callable[[str], str],
    options: Sequence[str] | None = None,
    widget: Callable = st.selectbox,
    **widget_kwargs: object,
) -> object:
    """A select box, radio, pills or multiselect showing ``view[setting.name]``.

    ``options`` may narrow the setting's options (compare only within one family); values
    outside them are dropped, and if they came from the link, a notice says so.
    """
    options = tuple(setting.options if options is None else options)
    current = view(page)[setting.name]
    if setting.kind == "choices":  # keep the first max_items valid ones; a link hears about the rest
        kept, problem = setting.parse_lenient(current, options)
        if problem is not None:
            note_ignored(page, setting.name, ",".join(current), problem)
        view(page)[setting.name] = kept
    elif current not in options:
        view(page)[setting.name] = setting.default if setting.default in options else options[0]
    if not drawing():
        value = view(page)[setting.name]
        return list(value) if setting.kind == "choices" else value
    key, kwargs = _prepare(page, setting.name, lang)
    value = widget(label, options, format_func=format_func, **kwargs, **widget_kwargs)
    if setting.kind == "choices" and value is None:  # pills with nothing selected
        value = []
    return value


def slider(page: str, setting: Setting, label: str, lang: str, help_text: str | None = None, *,
           number_format: str | None = None, integer: bool = False) -> float | int:
    """A slider showing ``view[setting.name]``. ``number_format`` (e.g. "%.4f", so a learning rate
    of 0.0005 does not read "0.00"); ``integer`` makes every value an int (a seed of 3, not 3.00)."""
    cast = int if integer else float
    if not drawing():
        return cast(view(page)[setting.name])
    key, kwargs = _prepare(page, setting.name, lang)
    st.session_state[key] = cast(st.session_state[key])  # a link's "100" is parsed as 100.0
    return st.slider(label, min_value=cast(setting.low), max_value=cast(setting.high), step=cast(setting.step),
                     help=help_text, format=number_format, **kwargs)


def flag(page: str, setting: Setting, label: str, lang: str, help_text: str | None = None) -> bool:
    """A toggle showing ``view[setting.name]``."""
    if not drawing():
        return bool(view(page)[setting.name])
    _, kwargs = _prepare(page, setting.name, lang)
    return st.toggle(label, help=help_text, **kwargs)


def set_value(page: str, name: str, value: object) -> None:
    """Change a setting from code (e.g. a client-side control that reported where it settled)."""
    view(page)[name] = value


def sync_url(page: str, settings: Mapping[str, Setting], shown: Iterable[str]) -> None:
    """Write the shown settings into the URL (defaults left out) and remove every other one."""
    shown = set(shown)
    values = view(page)
    wanted = {}
    for name, setting in settings.items():
        if name in shown:
            text = setting.to_url(values[name])
            if text and text != setting.to_url(setting.default):
                wanted[name] = text
    _write_all({name: wanted.get(name) for name in settings})
    _remember_url(page)


def _write(name: str, text: str | None) -> None:
    _write_all({name: text})


def _write_all(texts: Mapping[str, str | None]) -> None:
    """Set (text) or remove (None) query parameters, in ONE URL update: each separate update
    becomes its own browser history entry, and Back would step through half-written links."""
    changes = {}
    for name, text in texts.items():
        current = st.query_params.get_all(name)
        if (text is None and current) or (text is not None and current != [text]):
            changes[name] = text
    if not changes:
        return
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        with get_session_state().query_params() as params:  # Streamlit 1.67 internals
            for name, text in changes.items():
                if text is None:
                    params._query_params.pop(name, None)
                else:
                    params.set_with_no_forward_msg(name, text)
            params._send_query_param_msg()
    except (ImportError, AttributeError):  # a Streamlit without these internals: one by one
        for name, text in changes.items():
            if text is None:
                del st.query_params[name]
            else:
                st.query_params[name] = text


def _remember_url(page: str) -> None:
    """What the URL holds now, so the next run can tell a change from outside (arrival)."""
    st.session_state.setdefault(WRITTEN, {})[page] = _url_texts(st.session_state[SETTINGS][page])


# --- One widget at a time: the same mechanism for pages that write the URL per widget ----------
# (``ui.common.show_url_notices`` calls ``arrive`` for them; the current page is the last one
# that arrived.)


def _current_page() -> str:
    return st.session_state[CURRENT_PAGE]


def _write_one(setting: Setting, value: object) -> None:
    text = setting.to_url(value)
    _write(setting.name, text if text and text != setting.to_url(setting.default) else None)
    _remember_one(_current_page(), setting.name)


def _remember_one(page: str, name: str) -> None:
    """``_remember_url`` for one setting just written (a page writing per widget would otherwise
    read every setting of the URL once per widget: 25 ms per /training run)."""
    written = st.session_state.setdefault(WRITTEN, {})
    if page not in written:
        _remember_url(page)
        return
    values = st.query_params.get_all(name)
    remembered = dict(written[page])
    if values:
        remembered[name] = ",".join(values)
    else:
        remembered.pop(name, None)
    written[page] = remembered


def _lang() -> str:
    from ui.common import lang  # ui.common imports this module

    return lang()


def url_choice(setting: Setting, label: str, format_func: Callable[[str], str],
               options: Sequence[str] | None = None, widget: Callable = st.selectbox,
               **widget_kwargs: object) -> object:
    """``choice`` on the current page, its value written to ``?<setting.name>=`` at once."""
    value = choice(_current_page(), setting, label, _lang(), format_func, options, widget, **widget_kwargs)
    _write_one(setting, value)
    return value


def url_slider(setting: Setting, label: str, help_text: str | None = None, *,
               number_format: str | None = None, integer: bool = False) -> float | int:
    """``slider`` on the current page, its value written to ``?<setting.name>=`` at once."""
    value = slider(_current_page(), setting, label, _lang(), help_text, number_format=number_format,
                   integer=integer)
    _write_one(setting, value)
    return value


def drop_from_url(names: Iterable[str]) -> None:
    """Remove settings that are not on screen now (e.g. δ after switching away from Huber)."""
    for name in names:
        _write(name, None)
    _remember_url(_current_page())
