"""A Streamlit 1.67 session at the protocol level: what a browser tab sends and receives.

Used by bench/load.py and bench/soak.py. No browser: one asyncio websocket per session on
``/_stcore/stream``, speaking Streamlit's own protobuf messages (``streamlit.proto``), as the
frontend does:

* on connect the frontend sends ``BackMsg.rerun_script`` with a ``ClientState`` holding the
  query string and the page's ``url_path`` as ``page_name`` (empty for the default page);
* the server answers with ``ForwardMsg.new_session``, ``navigation`` (with ``st.navigation``: the
  ``page_script_hash`` of the page that ran, which the frontend sends with every later rerun of
  that page), then ``delta`` messages (elements; a widget element carries its
  id, and the delta its ``fragment_id`` when it was drawn inside an ``st.fragment``), and finally
  ``script_finished`` (``FINISHED_SUCCESSFULLY``, or ``FINISHED_FRAGMENT_RUN_SUCCESSFULLY`` for a
  fragment rerun; ``FINISHED_EARLY_FOR_RERUN`` means another run follows);
* when a widget changes, the frontend sends ``rerun_script`` with the states of *all* widgets it
  knows (``WidgetStates``) and, for a widget inside a fragment, that fragment's id, so only the
  fragment reruns.

Widget ids of keyed widgets end in ``-<key>`` (``$$ID-<hash>-pred``), so a widget is found by its
``key``. A widget's state is taken from its element the way the frontend initialises it:
``value`` if ``set_value`` else ``default``, in the field the widget registered as its
``value_type`` (``register_widget(..., value_type=...)`` in ``streamlit/elements/widgets``):

* sliders: ``double_array_value``;
* select sliders (a ``Slider`` proto of type ``SELECT_SLIDER``, with ``options``): the frontend
  keeps option *indices* internally (``default``, ``min``=0, ``max``) but sends the options'
  formatted labels as ``string_array_value`` (Slider.js: ``setStringArrayValue(id, indices.map(i
  => options[i]))``; initial state from ``raw_value`` when set, else ``default``). Sent as
  ``double_array_value``, the server's ``SelectSliderSerde`` fails (``TypeError: must be real
  number, not str``);
* select boxes and radios: the option's label as ``string_value``;
* multiselects: ``string_array_value``; pills / segmented controls (``button_group``): the
  options' ``content`` as ``string_array_value``;
* checkboxes and toggles: ``bool_value``; number inputs: ``double_value`` (integers too);
  text inputs and areas: ``string_value``.

Buttons (triggers) are never sent.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
            ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


@dataclass
class Widget:
    """A widget as the frontend knows it: its element and the delta's fragment id."""

    id: str
    kind: str  # the Element oneof name: "slider", "selectbox", ...
    proto: object
    fragment_id: str = ""

    @property
    def key(self) -> str:
        return self.id.rsplit("-", 1)[-1] if self.id.startswith("$$ID-") else ""


def is_select_slider(widget: Widget) -> bool:
    return widget.kind == "slider" and widget.proto.type == widget.proto.SELECT_SLIDER


def _option_label(widget: Widget, value: object) -> str:
    """``value`` as one of the widget's option labels (an int is an index), else ValueError."""
    options = [o.content for o in widget.proto.options] if widget.kind == "button_group" else list(widget.proto.options)
    label = options[value] if isinstance(value, int) and not isinstance(value, bool) else str(value)
    if label not in options:  # a browser can only send one of the options
        raise ValueError(f"{label!r} is not an option of {widget.key!r}: {options}")
    return label


def initial_state(widget: Widget) -> WidgetState | None:
    """The state the frontend registers for a freshly drawn widget (None: nothing to send)."""
    p, state = widget.proto, WidgetState(id=widget.id)
    if is_select_slider(widget):
        labels = list(p.raw_value) if p.set_value and p.raw_value else [p.options[int(i)] for i in p.default]
        state.string_array_value.data[:] = labels
    elif widget.kind == "slider":
        state.double_array_value.data[:] = list(p.value) if p.set_value else list(p.default)
    elif widget.kind in ("selectbox", "radio"):
        if p.set_value and p.HasField("raw_value"):
            state.string_value = p.raw_value
        elif p.HasField("default") and 0 <= p.default < len(p.options):
            state.string_value = p.options[p.default]
        else:
            return None
    elif widget.kind == "multiselect":
        values = list(p.raw_values) if p.set_value else [p.options[int(i)] for i in p.default]
        state.string_array_value.data[:] = values
    elif widget.kind == "button_group":
        values = list(p.raw_values) if p.set_value else [
            p.options[i].content for i in p.default if 0 <= i < len(p.options)]
        state.string_array_value.data[:] = values
    elif widget.kind == "checkbox":
        state.bool_value = p.value if p.set_value else p.default
    elif widget.kind == "number_input":
        state.double_value = p.value if p.set_value else p.default
    elif widget.kind in ("text_input", "text_area"):
        if p.set_value and p.HasField("value"):
            state.string_value = p.value
        elif p.HasField("default"):
            state.string_value = p.default
        else:
            return None
    else:
        return None
    return state


def changed_state(widget: Widget, value: object) -> WidgetState:
    """The state the frontend sends after a user sets ``widget`` to ``value``.

    ``value``: a number (slider, number input); an option's label or index, or a list of them
    for a range (select slider); an option's label (select box, radio); a list of labels
    (multiselect, pills); a bool (checkbox, toggle); a str (text input).
    """
    state = WidgetState(id=widget.id)
    if is_select_slider(widget):
        values = value if isinstance(value, (list, tuple)) else [value]
        state.string_array_value.data[:] = [_option_label(widget, v) for v in values]
    elif widget.kind == "slider":
        state.double_array_value.data[:] = [float(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    elif widget.kind in ("selectbox", "radio"):
        state.string_value = str(value)
    elif widget.kind == "multiselect":
        state.string_array_value.data[:] = [str(v) for v in value]
    elif widget.kind == "button_group":
        values = value if isinstance(value, (list, tuple)) else [value]
        state.string_array_value.data[:] = [_option_label(widget, v) for v in values]
    elif widget.kind == "checkbox":
        state.bool_value = bool(value)
    elif widget.kind == "number_input":
        state.double_value = float(value)
    elif widget.kind in ("text_input", "text_area"):
        state.string_value = str(value)
    else:
        raise ValueError(f"cannot set a {widget.kind} widget")
    return state


def url_value(state: WidgetState) -> str:
    """How the frontend writes a bound widget's state into ``?<key>=`` (one value; ranges joined)."""
    kind = state.WhichOneof("value")
    data = getattr(state, kind)
    if kind.endswith("_array_value"):
        return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in data.data)
    return f"{data:g}" if isinstance(data, float) else str(data)


@dataclass
class RunResult:
    seconds: float
    status: int
    exception: bool  # an st.exception element was drawn during the run


@dataclass
class Session:
    """One browser tab's session. ``async with Session(url) as s: await s.open_page("explorer")``.

    One reader task handles every message the server sends, as the frontend does. Runs of one
    session are sequential on the server, so ``_rerun`` sends its request and waits for the next
    ``script_finished``. While a fragment with ``run_every`` is on screen, the server's
    ``auto_rerun`` message (fragment id, interval) makes the session send that fragment's rerun
    (``is_auto_rerun``, all widget states) every interval, on a timer that does not wait for the
    previous run, like the frontend's ``setInterval``; the server coalesces requests that arrive
    while a run is going. The timers stop on ``stop_auto_rerun``, on a whole-page run
    (``new_session`` whose ``metadata.run.fragment_ids`` is empty) and on ``open_page``.
    """

    base_url: str
    timeout: float = 60.0
    ws: object = None
    page_script_hash: str = ""
    query_string: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)
    states: dict[str, WidgetState] = field(default_factory=dict)
    runs: int = 0
    fragment_runs: int = 0  # runs that finished as fragment runs (auto reruns included)
    auto_reruns_sent: int = 0
    metrics: dict[str, str] = field(default_factory=dict)  # st.metric label -> shown value
    last_exception: str = ""  # type and message of the last exception a run showed

    async def __aenter__(self) -> "Session":
        parts = urllib.parse.urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        path = parts.path.rstrip("/") + "/_stcore/stream"
        # The browser sends the subprotocol "streamlit" (then an XSRF token and a session id).
        self.ws = await websockets.connect(
            f"{scheme}://{parts.netloc}{path}", subprotocols=["streamlit"],
            max_size=None, compression=None, open_timeout=self.timeout,
            ping_interval=None,  # a browser sends no websocket pings (the server may; they are answered)
            origin=f"{parts.scheme}://{parts.netloc}",
        )
        self._finished: asyncio.Queue = asyncio.Queue()
        self._tickers: dict[str, tuple[float, asyncio.Task]] = {}
        self._seen_ids, self._seen_fragments, self._exception = set(), set(), False
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        self.stop_auto_reruns()
        self._reader.cancel()
        await self.ws.close()

    async def open_page(self, page: str, query: str = "") -> RunResult:
        """What a browser does when it loads ``/<page>?<query>``: a full run of that page."""
        self.stop_auto_reruns()
        self.query_string, self.page_script_hash = query, ""
        self.widgets.clear()
        self.states.clear()
        return await self._rerun(page_name=page)

    def widget(self, key: str) -> Widget:
        for widget in self.widgets.values():  # "delta" also names a page view's "w.<page>.delta.<lang>"
            if widget.key == key or (widget.key.startswith("w.") and widget.key.split(".")[2:3] == [key]):
                return widget
        raise KeyError(f"no widget with key {key!r}; keys: {sorted(w.key for w in self.widgets.values())}")

    async def set_value(self, key: str, value: object, *, as_fragment: bool = True) -> RunResult:
        """Change a widget like a user: new state, then a rerun of its fragment (or the page).

        ``value``: see ``changed_state``. A widget bound to a query parameter
        (``bind="query-params"``) changes the browser's address bar, hence the query string sent.
        """
        widget = self.widget(key)
        state = changed_state(widget, value)
        self.states[widget.id] = state
        bound = getattr(widget.proto, "query_param_key", "")
        if bound:
            query = dict(urllib.parse.parse_qsl(self.query_string, keep_blank_values=True))
            query[bound] = url_value(state)
            self.query_string = urllib.parse.urlencode(query)
        return await self._rerun(fragment_id=widget.fragment_id if as_fragment else "")

    async def set_slider(self, key: str, value: float, *, as_fragment: bool = True) -> RunResult:
        return await self.set_value(key, float(value), as_fragment=as_fragment)

    async def click(self, key: str) -> RunResult:
        """Press a button: its ``trigger_value`` is sent once, with the other widgets' states."""
        widget = self.widget(key)
        if widget.kind != "button":
            raise ValueError(f"{key!r} is a {widget.kind}, not a button")
        trigger = WidgetState(id=widget.id, trigger_value=True)
        return await self._rerun(fragment_id=widget.fragment_id, extra=[trigger])

    async def rerun(self) -> RunResult:
        """A whole-page rerun with nothing changed (the "Rerun" menu item / the R key)."""
        return await self._rerun()

    @property
    def auto_rerunning(self) -> list[str]:
        """Fragment ids whose ``run_every`` timer is running."""
        return list(self._tickers)

    def stop_auto_reruns(self, fragment_ids: list[str] | None = None) -> None:
        for fragment_id in list(self._tickers) if fragment_ids is None else fragment_ids:
            entry = self._tickers.pop(fragment_id, None)
            if entry is not None:
                entry[1].cancel()

    def _message(self, page_name: str = "", fragment_id: str = "", auto: bool = False,
                 extra: list[WidgetState] = ()) -> bytes:
        msg = BackMsg()
        client_state = msg.rerun_script
        client_state.query_string = self.query_string
        client_state.page_script_hash = self.page_script_hash
        client_state.page_name = page_name
        client_state.fragment_id = fragment_id
        client_state.is_auto_rerun = auto
        client_state.widget_states.CopyFrom(WidgetStates(widgets=[*self.states.values(), *extra]))
        return msg.SerializeToString()

    async def _rerun(self, page_name: str = "", fragment_id: str = "",
                     extra: list[WidgetState] = ()) -> RunResult:
        while not self._finished.empty():  # finishes nobody waited for (auto reruns)
            self._finished.get_nowait()
        start = time.perf_counter()
        await self.ws.send(self._message(page_name, fragment_id, extra=extra))
        status, exception = await asyncio.wait_for(self._finished.get(), timeout=self.timeout)
        if isinstance(status, BaseException):
            raise status
        return RunResult(time.perf_counter() - start, status, exception)

    async def _tick(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.ws.send(self._message(fragment_id=fragment_id, auto=True))
            self.auto_reruns_sent += 1

    async def _read(self) -> None:
        try:
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await self.ws.recv())
                self._handle(forward)
        except Exception as exc:  # noqa: BLE001 - a closed socket fails the waiting rerun
            self.stop_auto_reruns()
            self._finished.put_nowait((exc, False))

    def _handle(self, forward) -> None:
        kind = forward.WhichOneof("type")
        if kind == "new_session" and not forward.metadata.run.fragment_ids:
            self.stop_auto_reruns()  # a whole-page run: the frontend drops every timer
        elif kind == "page_info_changed":  # the page wrote st.query_params
            self.query_string = forward.page_info_changed.query_string
        elif kind == "navigation":  # st.navigation: the page that actually ran
            self.page_script_hash = forward.navigation.page_script_hash
        elif kind == "delta":
            self._exception |= self._note_delta(forward.delta)
        elif kind == "auto_rerun":
            fragment_id, interval = forward.auto_rerun.fragment_id, forward.auto_rerun.interval
            if fragment_id and self._tickers.get(fragment_id, (None,))[0] != interval:
                self.stop_auto_reruns([fragment_id])
                self._tickers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))
        elif kind == "stop_auto_rerun":
            self.stop_auto_reruns(list(forward.stop_auto_rerun.fragment_ids))
        elif kind == "script_finished" and forward.script_finished in FINISHED:
            fragment_run = forward.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
            self.runs += 1
            self.fragment_runs += fragment_run
            self._forget_widgets_not_drawn(whole_page=not fragment_run)
            self._finished.put_nowait((forward.script_finished, self._exception))
            self._seen_ids, self._seen_fragments, self._exception = set(), set(), False

    def _forget_widgets_not_drawn(self, whole_page: bool) -> None:
        """Like the frontend: widgets the run did not draw again (in the part that ran) are gone."""
        for widget_id, widget in list(self.widgets.items()):
            ran = whole_page or (widget.fragment_id and widget.fragment_id in self._seen_fragments)
            if ran and widget_id not in self._seen_ids:
                del self.widgets[widget_id]
                self.states.pop(widget_id, None)

    def _note_delta(self, delta) -> bool:
        self._seen_fragments.add(delta.fragment_id)
        if delta.WhichOneof("type") != "new_element":
            return False
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.last_exception = f"{element.exception.type}: {element.exception.message} | {list(element.exception.stack_trace)[-2:]}"[:600]
            return True
        if kind == "metric":
            self.metrics[element.metric.label] = element.metric.body
        if kind == "bidi_component" and element.bidi_component.component_name == "lossviz_scrub_readouts":
            data = json.loads(element.bidi_component.json)  # the explorer's readouts (ui/scrub_readouts.py)
            if isinstance(data.get("values"), str):  # sent as JSON text (ui.scrub_readouts.component_data)
                data["values"] = json.loads(data["values"])
            if data["values"]:  # a scrubber with no cards (/surfaces) or a chart redraw (/training) has none
                self.metrics.update(zip(data["labels"], data["values"][data["active"]]))
        proto = getattr(element, kind, None) if kind else None
        widget_id = getattr(proto, "id", "") if proto is not None else ""
        if widget_id.startswith("$$ID-"):
            widget = Widget(widget_id, kind, proto, delta.fragment_id)
            self._seen_ids.add(widget_id)
            self.widgets[widget_id] = widget
            state = initial_state(widget)
            if state is not None and widget_id not in self.states:
                self.states[widget_id] = state
        return False
