import pytest
from django.core.exceptions import ValidationError

from enterprises import credit_code

# Two published codes (independently known valid) and one computed for the demo region.
VALID = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91341523MA2N0K0X81",
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert credit_code.is_valid(code)
    credit_code.validate_credit_code(code)


@pytest.mark.parametrize("code", VALID)
def test_every_other_check_character_fails(code):
    for wrong in credit_code.ALPHABET:
        if wrong == code[17]:
            continue
        bad = code[:17] + wrong
        reason = credit_code.problem(bad)
        assert reason is not None and "校验码错误" in reason and code[17] in reason


@pytest.mark.parametrize("length", [0, 1, 17, 19, 20])
def test_wrong_length_is_refused_with_its_length(length):
    code = ("91341523MA2N0K0X81" * 2)[:length]
    reason = credit_code.problem(code)
    assert reason is not None and str(length) in reason


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_named(letter):
    code = "91341523MA2N0K0X8" + letter
    reason = credit_code.problem(code)
    assert reason is not None and letter in reason and "不使用" in reason


def test_input_is_normalised_full_width_spaces_and_case():
    assert credit_code.normalize(" ９１３４１５２３ma2n0k0x81 ") == "91341523MA2N0K0X81"
    assert credit_code.is_valid("９１３４１５２３ma2n0k0x81")


def test_region_part_must_be_digits():
    body = "91A41523MA2N0K0X8"
    code = body + credit_code.check_character(body)
    assert "行政区划" in credit_code.problem(code)


def test_validator_message_names_the_code():
    with pytest.raises(ValidationError) as info:
        credit_code.validate_credit_code("91341523MA2N0K0X8A")
    assert "91341523MA2N0K0X8A" in info.value.messages[0]


def test_make_code_appends_the_check_character():
    assert credit_code.make_code("91341523MA2N0K0X8") == "91341523MA2N0K0X81"
