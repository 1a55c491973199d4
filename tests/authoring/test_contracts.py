"""Each kata keeps its own copy of its contract, word for word from the product contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness import catalog

# Beside a clone, as the project's CI lays it out; a user's checkout has no shared folder.
PRODUCT_CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "KATAS.md"
SLUGS = ["flatten", "retry", "lru-cache", "fan-out", "rate-limiter"]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_kata_has_its_contract(slug):
    text = (catalog.find_kata(slug).dir / "CONTRACT.md").read_text()
    assert text.startswith(f"# The contract of {slug}\n")
    assert "Stage 4" in text and "Interface:" in text


@pytest.mark.skipif(not PRODUCT_CONTRACT.is_file(), reason="no product contract beside the clone")
@pytest.mark.parametrize("slug", SLUGS)
def test_the_contract_is_word_for_word_the_product_contract(slug):
    product = PRODUCT_CONTRACT.read_text()
    copy = (catalog.find_kata(slug).dir / "CONTRACT.md").read_text()
    section = re.search(rf"^## {re.escape(slug)}\n.*?(?=^---$)", product, re.S | re.M).group(0)
    conventions = product[product.index("Conventions for every kata:"):product.index("| slug |")]
    row = next(line for line in product.splitlines() if line.startswith(f"| {slug} |"))
    assert section.rstrip() in copy, "the kata's section differs from the product contract"
    assert conventions.rstrip() in copy, "the conventions differ from the product contract"
    assert row in copy
