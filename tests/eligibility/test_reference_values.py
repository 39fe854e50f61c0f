"""Every reference value is checked against its table (issue 14): a coded table's own entries too.

The region table names each of its classes (value_labels); a province given a class the table does
not name ("easten") validated, and every bracket on the region then missed that province silently.
"""

from __future__ import annotations

import copy

from eligibility.engine import read_policy_document, validate_policy

DEFAULT = read_policy_document()


def test_a_coded_table_entry_that_its_table_does_not_name_is_refused_with_a_suggestion():
    doc = copy.deepcopy(DEFAULT)
    doc["reference"]["tables"]["region_class"]["values"]["CN-GD"] = "easten"

    errors = validate_policy(doc)

    assert [error.path for error in errors] == ["reference.tables.region_class.values.CN-GD"], errors
    assert "did you mean 'eastern'?" in errors[0].message["en"]
    assert "是否应为“eastern”" in errors[0].message["zh"]


def test_the_shipped_tables_name_every_entry():
    assert validate_policy(copy.deepcopy(DEFAULT)) == []
