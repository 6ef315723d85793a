"""The URL settings table: parsing, range checks and the notices for bad links."""

import pytest

from lossviz import state

DELTA = state.float_setting("delta", 1.0, 0.1, 5.0, 0.1)
LOSS = state.Setting("loss", "choice", "huber", options=("mse", "huber"))
COMPARE = state.Setting("compare", "choices", [], options=("mse", "mae", "huber"), max_items=3)


@pytest.mark.parametrize("raw, expected", [("0.5", 0.5), ("5", 5.0), (["2", "0.1"], 0.1)])
def test_float_setting_parses_values_in_range(raw, expected):
    assert DELTA.parse(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "", "1e999", "nan", "inf", "-1", "5.01", "0x10", "1;DROP"])
def test_float_setting_rejects_malformed_or_out_of_range(raw):
    with pytest.raises(ValueError, match=r"\[0.1, 5\]"):
        DELTA.parse(raw)


def test_choice_setting_accepts_only_known_keys():
    assert LOSS.parse("mse") == "mse"
    with pytest.raises(ValueError):
        LOSS.parse("<script>alert(1)</script>")


def test_choices_setting_splits_commas_and_caps_length():
    assert COMPARE.parse("mse,mae") == ["mse", "mae"]
    assert COMPARE.parse(["mse", "mae"]) == ["mse", "mae"]
    with pytest.raises(ValueError):
        COMPARE.parse("mse,nope")
    with pytest.raises(ValueError):
        COMPARE.parse("mse,mse")


def test_invalid_query_values_reports_each_bad_known_value_and_ignores_unknown_names():
    query = {"loss": "nope", "delta": "abc", "pred": "1e999", "utm_source": "x", "compare": "mse"}
    problems = state.invalid_query_values([LOSS, DELTA, COMPARE], query)
    assert [name for name, _, _ in problems] == ["loss", "delta"]
    assert problems[1][1] == "abc"


def test_received_value_is_truncated_in_notices():
    problems = state.invalid_query_values([DELTA], {"delta": "9" * 500})
    assert len(problems[0][1]) <= 40


def test_explorer_settings_cover_every_loss_param_with_its_range():
    from lossviz.losses import LOSSES

    settings = {s.name: s for s in state.explorer_settings(tuple(LOSSES), [p for l in LOSSES.values() for p in l.params])}
    for loss in LOSSES.values():
        for p in loss.params:
            s = settings[p.name]
            if p.name in state.OFF_SWITCHES:  # negative = off becomes a switch plus [0, high]
                assert (s.low, s.high, s.step) == (0.0, p.high, p.step)
                assert settings[state.OFF_SWITCHES[p.name]].kind == "flag"
                continue
            # one table: the URL range is exactly the loss's Param range
            assert (s.default, s.low, s.high, s.step) == (p.default, p.low, p.high, p.step), (loss.key, p.name)
    assert settings["loss"].default in LOSSES


def test_lenient_list_parse_keeps_valid_items_and_reports_the_rest():
    kept, problem = COMPARE.parse_lenient("mse,nope,mae")
    assert kept == ["mse", "mae"] and problem is not None
    kept, problem = COMPARE.parse_lenient("mse,mae,huber,mse", options=("mse", "mae"))
    assert kept == ["mse", "mae"] and problem.key == "url.expected.choices"
    assert problem.values["options"] == "mse, mae"
    assert COMPARE.parse_lenient("mse,mae") == (["mse", "mae"], None)


def test_setting_errors_carry_an_i18n_key_and_values():
    with pytest.raises(state.SettingError) as err:
        DELTA.parse("abc")
    assert err.value.key == "url.expected.number" and err.value.values == {"low": "0.1", "high": "5"}
    with pytest.raises(state.SettingError) as err:
        LOSS.parse("nope")
    assert err.value.key == "url.expected.choice"


def test_flag_setting_reads_zero_and_one_only():
    flag = state.flag_setting("use_alpha", True)
    assert flag.parse("0") is False and flag.parse("1") is True
    with pytest.raises(state.SettingError):
        flag.parse("yes")
    assert flag.to_url(False) == "0"


def test_off_switch_turns_alpha_into_minus_one():
    assert state.loss_param_values({"alpha": 0.3, "gamma": 2.0}, {"use_alpha": False}) == {"alpha": -1.0, "gamma": 2.0}
    assert state.loss_param_values({"alpha": 0.3}, {"use_alpha": True}) == {"alpha": 0.3}


def test_params_sharing_a_name_share_their_range():
    """Sliders are keyed by param name, so two losses' 'margin' must mean the same range."""
    from lossviz.losses import LOSSES

    seen = {}
    for loss in LOSSES.values():
        for p in loss.params:
            shape = (p.default, p.low, p.high, p.step)
            assert seen.setdefault(p.name, shape) == shape, (loss.key, p.name)


# --- /classification and /stability ------------------------------------------------------


def test_classification_settings_use_the_issue_url_names():
    names = [s.name for s in state.classification_settings()]
    assert names == ["k", "y", *[f"z{i}" for i in range(10)], "temperature", "label_smoothing", "gamma",
                     "alpha", "weight"]


def test_classification_smoothing_and_gamma_ranges_are_the_loss_library_params():
    from lossviz.losses.params import GAMMA, LABEL_SMOOTHING

    settings = {s.name: s for s in state.classification_settings()}
    for param in (GAMMA, LABEL_SMOOTHING):
        assert (settings[param.name].low, settings[param.name].high) == (param.low, param.high)


@pytest.mark.parametrize("text", ["1e999,2", "<b>", "1,abc", "1", "", "1,2,3,4,5,6,7,8,9", "1e5,0", "nan,1", ",,",
                                  "1e999,<b>"])
def test_logit_list_rejects_malformed_text_with_what_is_allowed(text):
    with pytest.raises(ValueError, match=r"2 to 8 comma-separated numbers in \[-10000, 10000\]"):
        state.parse_logit_list(text)


def test_logit_list_accepts_spaces_and_exponents():
    assert state.parse_logit_list(" 1e3, -2.5 ,0") == [1000.0, -2.5, 0.0]


def test_stability_notices_name_the_bad_values():
    problems = state.invalid_query_values(state.stability_settings(), {"logits": "1e999,<b>", "dtype": "float8"})
    assert [(name, received) for name, received, _ in problems] == [("logits", "1e999,<b>"), ("dtype", "float8")]


def test_a_link_value_between_slider_steps_moves_to_the_nearest_step_with_a_notice():
    setting = state.float_setting("pred", 0.0, -5.0, 5.0, 0.05)
    value, problem = setting.parse_lenient("0.0123")
    assert value == 0.0 and problem is not None and problem.key == "url.expected.step"
    assert problem.values == {"step": "0.05", "used": "0"}
    value, problem = setting.parse_lenient("3e-324")  # a denormal: a rounding's width from 0, quietly 0
    assert value == 0.0 and problem is None
    value, problem = setting.parse_lenient("-4.95")  # on a step (up to float rounding): quiet
    assert value == -4.95 and problem is None
    value, problem = setting.parse_lenient("0.3")
    assert value == 0.3 and problem is None  # 0.30000000000000004 would read badly in the URL
    value, problem = setting.parse_lenient("4.99")
    assert value == 5.0 and problem.values["used"] == "5"  # the nearest step, inside the range
