"""The domain types refuse what their schema refuses: a portal's JSON is held to the types the
OpenAPI schema publishes (schemathesis found an amount sent as a string accepted)."""

import pytest
from pydantic import ValidationError

from service.models import Adjustment


@pytest.mark.parametrize("amount", ["112.50", True, None])
def test_an_adjustment_amount_is_a_number_not_text_or_a_flag(amount):
    with pytest.raises(ValidationError):
        Adjustment.model_validate({"group": "CO", "carc": "45", "amount": amount})


def test_an_adjustment_amount_may_be_written_without_cents():
    assert Adjustment.model_validate({"group": "CO", "carc": "45", "amount": 80}).amount == 80.0
